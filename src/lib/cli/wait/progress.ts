import {formatDuration} from '../../core/duration.js'

export interface ProgressStream {
  write(chunk: string): boolean
  isTTY?: boolean
}

export interface ProgressOptions {
  /** What is awaited, e.g. `backup c1ev3l5o0aeu6ojco7b0`. */
  label: string
  stream?: ProgressStream
  /** Spinner (true) or one line per status change (false). Default: stream is a TTY and CI is not set. */
  interactive?: boolean
  /** Default: Date.now. A wait passes its own clock's, so elapsed times agree with the wait's. */
  now?: () => number
}

export interface Progress {
  /** A new status (or the same one, to refresh the spinner). */
  update(status: string): void
  /** A poll failed but will be retried. */
  warn(message: string): void
  /** Clears the spinner; call before printing the result. */
  stop(): void
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏']

export function isInteractive(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(stream.isTTY) && !env.CI
}

/**
 * Progress of a wait on stderr: on a terminal a spinner with the status and the elapsed time; in CI or
 * when piped, one plain line per status change (logs stay readable and grep-able).
 */
export function createProgress(options: ProgressOptions): Progress {
  const stream = options.stream ?? process.stderr
  const interactive = options.interactive ?? isInteractive(stream)
  const now = options.now ?? (() => Date.now())
  const start = now()
  let status = 'waiting'
  let lastPrinted: string | undefined
  let frame = 0
  let timer: ReturnType<typeof setInterval> | undefined
  const elapsed = () => formatDuration(now() - start)

  const draw = () => {
    frame = (frame + 1) % FRAMES.length
    stream.write(`\r\u001B[2K${FRAMES[frame]} ${options.label}: ${status} (${elapsed()})`)
  }

  return {
    update(next) {
      status = next
      if (interactive) {
        if (!timer) {
          timer = globalThis.setInterval(draw, 100)
          timer.unref?.()
        }
        draw()
        return
      }
      if (next !== lastPrinted) {
        lastPrinted = next
        stream.write(`${options.label}: ${next} (${elapsed()})\n`)
      }
    },
    warn(message) {
      if (interactive) stream.write('\r\u001B[2K')
      stream.write(`${options.label}: ${message}\n`)
      if (interactive && timer) draw()
    },
    stop() {
      if (timer) globalThis.clearInterval(timer)
      timer = undefined
      if (interactive) stream.write('\r\u001B[2K')
    },
  }
}
