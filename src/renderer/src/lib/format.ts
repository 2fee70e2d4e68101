/** Locale-aware dates and relative times ("il y a 12 min"). */
export function formatDateTime(isoString: string | null, lang: string): string {
  if (!isoString) return '—'
  return new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(isoString))
}

export function formatRelative(isoString: string, now: number, lang: string): string {
  const diff = new Date(isoString).getTime() - now
  const abs = Math.abs(diff)
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })
  if (abs < 60_000) return rtf.format(Math.round(diff / 1000), 'second')
  if (abs < 3_600_000) return rtf.format(Math.round(diff / 60_000), 'minute')
  if (abs < 86_400_000) return rtf.format(Math.round(diff / 3_600_000), 'hour')
  return rtf.format(Math.round(diff / 86_400_000), 'day')
}

export function formatMoney(amount: number, currency: string | null, lang: string): string {
  if (!currency) return new Intl.NumberFormat(lang).format(amount)
  try {
    return new Intl.NumberFormat(lang, { style: 'currency', currency }).format(amount)
  } catch {
    return `${new Intl.NumberFormat(lang).format(amount)} ${currency}`
  }
}
