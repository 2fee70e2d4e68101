import { useEffect, useState } from 'react'

/**
 * True once `flag` has stayed true for `delayMs`. A scan answers in a few milliseconds: showing
 * "searching…" for those would only flash the button and make the browser lay the bar out
 * again in the middle of the scan. Slow answers still show it.
 */
export function useDelayedFlag(flag: boolean, delayMs: number): boolean {
  // The flag episode that has lasted long enough; a new episode starts unseen.
  const [late, setLate] = useState<boolean>(false)
  useEffect(() => {
    if (!flag) return
    const id = setTimeout(() => setLate(true), delayMs)
    return () => {
      clearTimeout(id)
      setLate(false)
    }
  }, [flag, delayMs])
  return flag && late
}
