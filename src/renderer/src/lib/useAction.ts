import { useCallback, useRef, useState } from 'react'
import type { AppError, Result } from '@shared/result'

type ActionState<T> = { phase: 'idle' } | { phase: 'busy' } | { phase: 'done'; value: T } | { phase: 'failed'; error: AppError }

/**
 * Runs an action once per click: while it is in flight, further clicks are ignored (a double
 * click never does a thing twice), and its progress and outcome are kept for the UI to say.
 */
export function useAction<A extends unknown[], T>(run: (...args: A) => Promise<Result<T>>) {
  const [state, setState] = useState<ActionState<T>>({ phase: 'idle' })
  const inFlight = useRef(false)
  const trigger = useCallback(
    async (...args: A): Promise<Result<T> | null> => {
      if (inFlight.current) return null
      inFlight.current = true
      setState({ phase: 'busy' })
      try {
        const r = await run(...args)
        setState(r.ok ? { phase: 'done', value: r.value } : { phase: 'failed', error: r.error })
        return r
      } finally {
        inFlight.current = false
      }
    },
    [run]
  )
  const reset = useCallback(() => setState({ phase: 'idle' }), [])
  return { state, trigger, reset }
}
