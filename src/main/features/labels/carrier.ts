// Labels a carrier returns (ECOTRACK PDF bytes, Sendcloud PDF/ZPL, Swiss Post base64 chunks,
// aggregator PDF URLs fetched by the carrier layer) are kept and printed byte for byte. These
// helpers only recognise and unwrap them; nothing here redraws a carrier's label.
import { GuichetError } from '../../../shared/result'

type CarrierLabelFormat = 'pdf' | 'zpl'

/** PDF by its header, ZPL by a ^XA label start near the top; null for anything else (HTML error pages...). */
export function detectLabelFormat(bytes: Buffer): CarrierLabelFormat | null {
  const head = bytes.subarray(0, 4096).toString('latin1')
  if (/^\s*%PDF-\d/.test(head)) return 'pdf'
  if (/^[\s\S]{0,1024}?\^XA/.test(head) && /\^XZ/.test(bytes.subarray(Math.max(0, bytes.length - 4096)).toString('latin1'))) return 'zpl'
  return null
}

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}\s*$/

/**
 * Swiss Post's generateAddressLabel returns `item.label` as base64 chunks "to be concatenated".
 * Chunks that are each padded are decoded one by one; a stream cut anywhere is joined first.
 */
export function labelFromBase64Chunks(chunks: readonly string[]): Buffer {
  if (chunks.length === 0) throw new GuichetError('carrier_error', 'The carrier returned no label.')
  for (const c of chunks)
    if (!BASE64.test(c)) throw new GuichetError('carrier_error', 'The carrier returned a label that is not valid base64.')
  const paddedInside = chunks.slice(0, -1).some((c) => c.trimEnd().endsWith('='))
  return paddedInside ? Buffer.concat(chunks.map((c) => Buffer.from(c, 'base64'))) : Buffer.from(chunks.join(''), 'base64')
}

/** Checks a carrier file before it is stored: the declared format must match the bytes. */
export function checkCarrierLabel(bytes: Buffer, declared?: CarrierLabelFormat): CarrierLabelFormat {
  const found = detectLabelFormat(bytes)
  if (!found) throw new GuichetError('carrier_error', 'The carrier returned something that is neither a PDF nor a ZPL label.')
  if (declared && declared !== found)
    throw new GuichetError(
      'carrier_error',
      `The carrier said ${declared.toUpperCase()} but returned a ${found.toUpperCase()} file; it was not stored.`
    )
  return found
}
