/**
 * Wraps loads so that their answers are shown in the order the loads started: an answer that
 * arrives after a newer load's answer was shown is dropped. Polls overlap when the server is slow,
 * and a load started before a write (a "Run now") can answer after the reload that followed the
 * write; shown last, it would put the page back in its state before the write.
 */
export function newerOnly<T>(show: (value: T) => void): (load: () => Promise<T>) => Promise<T | undefined> {
  let started = 0
  let shown = 0
  return async (load) => {
    const mine = ++started
    try {
      const value = await load()
      if (mine < shown) return undefined
      shown = mine
      show(value)
      return value
    } catch (error) {
      if (mine < shown) return undefined
      throw error
    }
  }
}
