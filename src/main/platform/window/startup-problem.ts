import { STARTUP_PROBLEM_CODES, problemToHash, type StartupProblem } from '../../../shared/startup'
import { StoreStartupError } from '../db/database'

/** What the start-up window shows for an error thrown while starting: a code, never English. */
export function startupProblemOf(e: unknown): StartupProblem {
  if (e instanceof StoreStartupError) return e.problem
  // Already a problem (sent by the backend process over its port).
  const code = (e as { code?: unknown } | null)?.code
  if (STARTUP_PROBLEM_CODES.includes(code as StartupProblem['code'])) return e as StartupProblem
  return { code: 'startup_failed' }
}

/** The renderer's static start-up problem page, in the clerk's saved language when known. */
export function startupProblemUrl(base: string, problem: StartupProblem, language: unknown): string {
  return `${base}#${problemToHash(problem, typeof language === 'string' ? language : null)}`
}
