import {formatDuration} from '../core/duration.js'
import type {ProgressEvent} from './types.js'

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

export function formatBytes(n: number): string {
  let v = n
  let u = 0
  while (Math.abs(v) >= 1024 && u < UNITS.length - 1) {
    v /= 1024
    u++
  }
  return `${u === 0 ? v : v.toFixed(1)} ${UNITS[u]}`
}

/** `1.0 GiB / 2.0 GiB (50%)  412.3 MiB/s  ETA 3s` */
export function formatProgress(p: ProgressEvent, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? (p.bytesDone / elapsedMs) * 1000 : 0
  const pct = p.bytesTotal > 0 ? Math.floor((p.bytesDone / p.bytesTotal) * 100) : 0
  const eta =
    rate > 0 && p.bytesTotal > p.bytesDone ? `  ETA ${formatDuration(((p.bytesTotal - p.bytesDone) / rate) * 1000, 'compact')}` : ''
  return `${formatBytes(p.bytesDone)} / ${formatBytes(p.bytesTotal)} (${pct}%)  ${formatBytes(rate)}/s${eta}`
}

/** Parses `1MiB`, `256 MiB`, `64KiB`, `4096`, `1G` (binary units) into bytes. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text)
  if (!m) return undefined
  const power = {'': 0, b: 0, k: 1, kb: 1, kib: 1, m: 2, mb: 2, mib: 2, g: 3, gb: 3, gib: 3}[(m[2] ?? '').toLowerCase()] ?? 0
  const value = Number(m[1]) * 1024 ** power
  return Number.isInteger(value) ? value : undefined
}

/**
 * Live progress on a terminal: one line rewritten in place at most every `intervalMs`. Does nothing
 * unless enabled (the caller passes "stderr is a TTY and CI is unset").
 */
export class ProgressLine {
  private readonly started = Date.now()
  private last = 0
  private shown = false

  constructor(
    private readonly enabled: boolean,
    private readonly write: (s: string) => void,
    private readonly intervalMs = 200,
  ) {}

  update(p: ProgressEvent): void {
    if (!this.enabled) return
    const now = Date.now()
    if (now - this.last < this.intervalMs && p.bytesDone < p.bytesTotal) return
    this.last = now
    this.shown = true
    this.write(`\r\x1b[2K${formatProgress(p, now - this.started)}`)
  }

  /** Clears the live line (so the summary starts on a clean line). */
  end(): void {
    if (this.shown) this.write('\r\x1b[2K')
    this.shown = false
  }

  elapsedMs(): number {
    return Date.now() - this.started
  }
}

export function interactiveStderr(): boolean {
  return Boolean(process.stderr.isTTY) && !process.env.CI
}
