// What can stop or mark the start of the app, as codes with fields: main never words them,
// the renderer does (i18n keys `startup.*` and `store.*`), in the clerk's language.

/** The store was damaged and set aside; the app started with an empty one. */
export interface StoreWarning {
  code: 'store_set_aside'
  /** Where the damaged copy was kept, for a specialist. */
  kept: string
  /** integrity: pages damaged; header: not a SQLite file or cut short. */
  reason: 'integrity' | 'header'
}

/** Why the app could not start at all; shown in a window of its own, never a silent exit. */
export type StartupProblem =
  | { code: 'store_too_new'; file: string; found: number; supported: number }
  | { code: 'store_locked'; file: string }
  | { code: 'store_unreadable'; file: string }
  | { code: 'startup_failed' }

export const STARTUP_PROBLEM_CODES = ['store_too_new', 'store_locked', 'store_unreadable', 'startup_failed'] as const

/** The problem as a URL fragment (`#startup=...`), so a static page can word it without a backend. */
export function problemToHash(p: StartupProblem, lang: string | null): string {
  const params = new URLSearchParams()
  for (const [k, v] of Object.entries(p)) params.set(k, String(v))
  if (lang) params.set('lang', lang)
  return `startup&${params.toString()}`
}

/** Reads `#startup&code=...`; null for any other fragment or an unknown code. */
export function problemFromHash(hash: string): { problem: StartupProblem; lang: string | null } | null {
  const h = hash.replace(/^#/, '')
  if (!h.startsWith('startup&')) return null
  const q = new URLSearchParams(h.slice('startup&'.length))
  const code = q.get('code')
  const file = q.get('file') ?? ''
  const lang = q.get('lang')
  let problem: StartupProblem
  switch (code) {
    case 'store_too_new':
      problem = { code, file, found: Number(q.get('found')), supported: Number(q.get('supported')) }
      break
    case 'store_locked':
    case 'store_unreadable':
      problem = { code, file }
      break
    case 'startup_failed':
      problem = { code }
      break
    default:
      return null
  }
  return { problem, lang }
}
