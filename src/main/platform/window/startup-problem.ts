import { problemToHash, type StartupProblem } from '../../../shared/startup'
import { StoreStartupError } from '../db/database'

/** What the start-up window shows for an error thrown while starting: a code, never English. */
export function startupProblemOf(e: unknown): StartupProblem {
  return e instanceof StoreStartupError ? e.problem : { code: 'startup_failed' }
}

/** The renderer's static start-up problem page, in the clerk's saved language when known. */
export function startupProblemUrl(base: string, problem: StartupProblem, language: unknown): string {
  return `${base}#${problemToHash(problem, typeof language === 'string' ? language : null)}`
}
