// Swiss Post generateAddressLabel (DCAPI barcode v1, swisspost-dcapi-barcode-v1.schema.json): one
// item per call, camelCase wire names; errors that arrive with HTTP 200 in item.errors are thrown.
import { CARRIER_NAMES } from '../../../shared/domain'
import type { HttpClient, HttpRequest } from '../http/client'
import { CarrierError } from '../types'

const NAME = CARRIER_NAMES.swisspost

export type SpLayout = 'A5' | 'A6' | 'A7' | 'FE'
export type SpFileType = 'PDF' | 'ZPL2'

interface SpAddress {
  name1: string
  name2?: string | null
  street?: string | null
  houseNo?: string | null
  zip?: string | null
  city: string
  country?: string | null
}

export interface SpLabelInput {
  itemID: string
  /** The sender: name1, street (number included), zip, city; houseNo/email/phone are refused by the API. */
  customer: { name1: string; name2?: string; street: string; zip: string; city: string; country?: string }
  /** The delivery address (for PickPost / My Post 24: the point's address with Name2 "<keyword> <UserID>"). */
  recipient: SpAddress & { firstName?: string; phone?: string | null; email?: string | null }
  przl: string[]
  weightGrams?: number
  layout: SpLayout
  fileType: SpFileType
  resolution?: 200 | 300 | 600
  language?: 'DE' | 'FR' | 'IT' | 'EN'
  cod?: { amount: number }
}

export interface SpLabel {
  identCode: string
  contentType: 'application/pdf' | 'application/zpl'
  data: Buffer
  warnings: string[]
}

/** What the label call needs from the adapter: the barcode host, the token-bearing call, the licence. */
interface SpLabelTransport {
  http: HttpClient
  authed<T>(http: HttpClient, req: HttpRequest): Promise<{ status: number; body: T; text: string }>
  frankingLicense: string
  alias: string
}

export async function generateAddressLabel(
  { http, authed, frankingLicense, alias }: SpLabelTransport,
  input: SpLabelInput
): Promise<SpLabel> {
  if (!frankingLicense)
    throw new CarrierError('invalid_input', `${NAME}: the franking licence is not set for account "${alias}"`, {
      field: 'frankingLicense'
    })
  const rec = input.recipient
  const recipient: Record<string, unknown> = { name1: rec.name1, city: rec.city }
  for (const k of ['firstName', 'name2', 'street', 'houseNo', 'zip', 'country', 'phone', 'email'] as const)
    if (rec[k]) recipient[k] = rec[k]
  const payload = {
    language: input.language ?? 'DE',
    frankingLicense,
    ppFranking: false,
    customer: input.customer,
    labelDefinition: {
      labelLayout: input.layout,
      printAddresses: 'RECIPIENT_AND_CUSTOMER',
      imageFileType: input.fileType,
      imageResolution: input.resolution ?? 300,
      printPreview: false
    },
    item: {
      itemID: input.itemID,
      recipient,
      attributes: { przl: input.przl, ...(input.weightGrams ? { weight: Math.round(input.weightGrams) } : {}) },
      ...(input.cod ? { additionalData: [{ type: 'NN_BETRAG', value: input.cod.amount.toFixed(2) }] } : {})
    }
  }
  // Not safe to repeat: a second call would number a second parcel.
  const req: HttpRequest = {
    method: 'POST',
    path: '/generateAddressLabel',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
    safe: false,
    subject: input.itemID
  }
  const { status, body } = await authed<{
    item?: {
      identCode?: string
      label?: string[]
      errors?: Array<{ code: string; message: string }>
      warnings?: Array<{ message: string }>
    }
  }>(http, req)
  if (status === 400)
    throw http.error(
      'invalid_input',
      `${NAME} rejected the label request (HTTP 400${body ? '' : ', no details'}; the sender takes name1, street, zip and city only)`,
      req,
      { httpStatus: 400 }
    )
  if (status !== 200) throw http.error('carrier_error', `${NAME} answered HTTP ${status}`, req, { httpStatus: status })
  const errs = body?.item?.errors ?? []
  if (errs.length) {
    throw http.error('carrier_refused', `${NAME} refused the label: ${errs.map((e) => `${e.code} ${e.message}`).join('; ')}`, req, {
      carrierCode: errs[0]!.code,
      httpStatus: 200
    })
  }
  const identCode = body?.item?.identCode
  if (!identCode || !body?.item?.label?.length) throw http.error('carrier_error', `${NAME} label answer has no identCode or label`, req)
  return {
    identCode,
    contentType: input.fileType === 'ZPL2' ? 'application/zpl' : 'application/pdf',
    data: Buffer.concat(body.item.label.map((c) => Buffer.from(c, 'base64'))),
    warnings: (body.item.warnings ?? []).map((w) => w.message)
  }
}
