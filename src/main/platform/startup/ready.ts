// "Ready" is the first call the backend answers (on a desk, the first scan or the window's first
// question). Background work that would share the one JS thread with it (the poller's first cycle,
// which also loads the carrier HTTP stack, the hub link) waits for it, or for a ceiling when no
// call comes (a desk left alone still polls).
import type { Dispatch } from '../ipc/dispatch'

/** Long enough for a window to ask its first question, short enough that polling starts promptly. */
const READY_CEILING_MS = 2_000

interface Readiness {
  /** The same dispatch, marking the backend ready once its first call has been answered. */
  wrap(dispatch: Dispatch): Dispatch
  /** Runs `fn` once ready (after the first answer has gone out), or after the ceiling. */
  after(fn: () => void): void
  /** Drops what has not run yet (the backend closes first). */
  cancel(): void
  readonly isReady: boolean
}

export function createReadiness(ceilingMs = READY_CEILING_MS): Readiness {
  let waiting: Array<() => void> = []
  let ready = false
  let ceiling: NodeJS.Timeout | null = null
  const run = () => {
    if (ready) return
    ready = true
    if (ceiling) clearTimeout(ceiling)
    const fns = waiting
    waiting = []
    for (const fn of fns) fn()
  }
  return {
    wrap: (dispatch) => async (channel, input) => {
      const result = await dispatch(channel, input)
      // setImmediate: the transport writes this answer before the deferred work starts.
      if (!ready) setImmediate(run)
      return result
    },
    after(fn) {
      if (ready) return fn()
      waiting.push(fn)
      ceiling ??= setTimeout(run, ceilingMs).unref()
    },
    cancel() {
      waiting = []
      if (ceiling) clearTimeout(ceiling)
    },
    get isReady() {
      return ready
    }
  }
}
