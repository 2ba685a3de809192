/** Formatting shared by the views; dates in UTC like the CLI. */

export function utc(iso: string | undefined): string {
  if (!iso) return '—'
  const d = new Date(iso)
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`
}

/** `3 min`, `5 h`, `2 d`: how long ago, coarse enough to read at a glance. */
export function age(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000))
  if (s < 60) return `${s} s`
  if (s < 3600) return `${Math.floor(s / 60)} min`
  if (s < 86400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`
  return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`
}

export function duration(startIso: string, endIso?: string): string {
  if (!endIso) return 'running'
  return age(new Date(endIso).getTime() - new Date(startIso).getTime())
}

export function size(bytes: number | undefined, gb: number): string {
  if (bytes === undefined) return gb ? `${gb} GiB` : '—'
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 ** 2) return `${(bytes / 1024).toFixed(1)} KiB`
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`
}
