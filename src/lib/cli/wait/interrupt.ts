/**
 * Runs `body` with a signal that aborts on the first Ctrl-C (SIGINT) or SIGTERM (how CI systems
 * such as GitLab and Jenkins cancel a job), so a wait can stop polling and explain how to
 * re-attach instead of dying mid-line. Both end as "interrupted" (exit 130). The handlers are
 * removed afterwards, restoring Node's defaults.
 */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const

export async function withInterrupt<T>(body: (signal: AbortSignal) => Promise<T>, proc: NodeJS.EventEmitter = process): Promise<T> {
  const controller = new AbortController()
  const onSignal = () => controller.abort()
  for (const s of SIGNALS) proc.on(s, onSignal)
  try {
    return await body(controller.signal)
  } finally {
    for (const s of SIGNALS) proc.removeListener(s, onSignal)
  }
}
