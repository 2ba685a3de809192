import {useCallback, useEffect, useRef, useState} from 'preact/hooks'

import {newerOnly} from './newer-only.js'

export const POLL_MS = 2000

/**
 * Loads data now and every POLL_MS. The previous data stays on screen while the next load runs
 * (no blanking), and a failed poll keeps it too, with the error beside it. Answers are shown in the
 * order their loads started (newerOnly), so a slow poll never undoes a newer one.
 */
export function usePoll<T>(load: () => Promise<T>, deps: unknown[] = []): {data?: T; error?: string; reload: () => void} {
  const [data, setData] = useState<T | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  const loadRef = useRef(load)
  loadRef.current = load
  const [guard] = useState(() => newerOnly<T>((value) => setData(value)))
  const tick = useCallback(async () => {
    try {
      if ((await guard(() => loadRef.current())) !== undefined) setError(undefined)
    } catch (e) {
      setError((e as Error).message)
    }
  }, [])
  useEffect(() => {
    void tick()
    const timer = setInterval(() => void tick(), POLL_MS)
    return () => clearInterval(timer)
  }, deps)
  return {data, error, reload: () => void tick()}
}
