/**
 * Runs `body` with a signal that aborts on the first Ctrl-C (SIGINT), so a wait can stop polling and
 * explain how to re-attach instead of dying mid-line. The handler is removed afterwards, restoring
 * Node's default (a second Ctrl-C after `body` ends kills the process as usual).
 */
export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>, proc: NodeJS.EventEmitter = process): Promise<T> {
  const controller = new AbortController()
  const onSigint = () => controller.abort()
  proc.on('SIGINT', onSigint)
  try {
    return await body(controller.signal)
  } finally {
    proc.removeListener('SIGINT', onSigint)
  }
}
