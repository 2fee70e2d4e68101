// What a label's clerk must know before it goes out, as codes with parameters: main never writes
// the sentence, the renderer words it in fr/en/ar/de (src/renderer/src/lib/labelWarnings.ts).

/**
 * What the clerk must know about a label before it goes out, as a code the renderer words in the
 * clerk's language (main writes no sentence). `field` is a layout or address field ("recipient.name1").
 * - printed_as: the printer's font has no such letters; `from` is printed as `to`, `chars` were replaced.
 * - sent_as: the carrier's API takes plain letters; `from` is sent as `to`.
 * - locker_unverified: a My Post 24 locker for a customer Swiss Post has not verified (`status`).
 * - label_not_fetched: the shipment exists, the carrier's label could not be fetched yet (`error`: a code).
 * - carrier_note: the carrier's own words (`text`), shown as the carrier wrote them.
 * - adapted: a note stored by an older version, kept only as "a field was adapted".
 */
export const LABEL_WARNING_CODES = ['printed_as', 'sent_as', 'locker_unverified', 'label_not_fetched', 'carrier_note', 'adapted'] as const
type LabelWarningCode = (typeof LABEL_WARNING_CODES)[number]
export interface LabelWarning {
  code: LabelWarningCode
  params: { field?: string; from?: string; to?: string; chars?: string; status?: string; error?: string; carrier?: string; text?: string }
}

/** The characters of `from` that do not survive into `to` ("ë", "ش"), each once, for the clerk to see. */
export function replacedChars(from: string, to: string): string {
  const kept = new Set(to)
  const out: string[] = []
  for (const ch of from) if (!kept.has(ch) && !/\s/.test(ch) && !out.includes(ch)) out.push(ch)
  return out.join(' ')
}

/**
 * Warnings as stored with a label file (a JSON array). Older versions stored English sentences:
 * those read back as "adapted", never shown as they were written.
 */
export function readLabelWarnings(json: string | null): LabelWarning[] {
  if (!json) return []
  let list: unknown
  try {
    list = JSON.parse(json)
  } catch {
    return []
  }
  if (!Array.isArray(list)) return []
  return list.map((w): LabelWarning => {
    const code = (w as { code?: unknown } | null)?.code
    return typeof code === 'string' && (LABEL_WARNING_CODES as readonly string[]).includes(code)
      ? { code: code as LabelWarningCode, params: { ...((w as { params?: LabelWarning['params'] }).params ?? {}) } }
      : { code: 'adapted', params: {} }
  })
}
