import {performance} from 'node:perf_hooks'

/**
 * Phase timings of the engine on stderr when ESC_TRACE_TIMINGS=1, for profiling a backup or a
 * restore (where the time goes: copy, flush, hash, checks). Off by default: nothing is measured
 * or printed, and the lines carry file names and durations only, never contents.
 */
const origin = performance.now()

/** Starts a span; the returned function ends it and prints `label`, its start and its duration. */
export function traceSpan(label: string): () => void {
  // Read at each span, not at load: a process (or a test) may set it after the engine is imported.
  if (process.env.ESC_TRACE_TIMINGS !== '1') return noop
  const start = performance.now()
  return () => {
    const end = performance.now()
    process.stderr.write(`esc-trace ${label} start=${(start - origin).toFixed(0)}ms took=${(end - start).toFixed(0)}ms\n`)
  }
}

/** Times one awaited step: `await traced('fsync x', () => fsyncFile(x))`. */
export async function traced<T>(label: string, step: () => Promise<T>): Promise<T> {
  const end = traceSpan(label)
  try {
    return await step()
  } finally {
    end()
  }
}

function noop(): void {}
