// Locale-aware dates, relative times ("il y a 12 min") and amounts. Intl formatters are costly
// to build (a shipment view shows a dozen dates), so each is built once per locale and kept.
const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>()

function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined
  if (!f) {
    f = make()
    cache.set(key, f)
  }
  return f
}

export function formatDateTime(isoString: string | null, lang: string): string {
  if (!isoString) return '—'
  return cached(`dt|${lang}`, () => new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' })).format(new Date(isoString))
}

export function formatRelative(isoString: string, now: number, lang: string): string {
  const diff = new Date(isoString).getTime() - now
  const abs = Math.abs(diff)
  const rtf = cached(`rt|${lang}`, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' }))
  if (abs < 60_000) return rtf.format(Math.round(diff / 1000), 'second')
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute')
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour')
  return rtf.format(Math.round(diff / 86_400_000), 'day')
}

export function formatMoney(amount: number, currency: string | null, lang: string): string {
  if (!currency) return cached(`n|${lang}`, () => new Intl.NumberFormat(lang)).format(amount)
  try {
    return cached(`c|${lang}|${currency}`, () => new Intl.NumberFormat(lang, { style: 'currency', currency })).format(amount)
  } catch {
    return `${cached(`n|${lang}`, () => new Intl.NumberFormat(lang)).format(amount)} ${currency}`
  }
}
