import { useEffect, useState } from 'react'

/** The current time, refreshed every `everyMs`: keeps "checked 12 min ago" true while on screen. */
export function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs)
    return () => clearInterval(id)
  }, [everyMs])
  return now
}
