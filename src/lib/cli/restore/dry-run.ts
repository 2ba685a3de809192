/**
 * `--dry-run` previews: the request a command would send, plus notes (the label preview, the next
 * runs of a schedule…). The request goes to stdout — as JSON in the JSON/API formats so scripts can
 * read it, as text otherwise — and a reminder that nothing was sent goes to stderr.
 */
export interface DryRun {
  method: 'POST' | 'PUT' | 'DELETE'
  /** From the client module (`clustersPath`…): the path a real run would send to. */
  path: string
  body?: unknown
  /** Label/value lines shown after the body (text) or as extra keys (JSON). */
  notes?: Array<[label: string, value: string | string[]]>
}

function noteKey(label: string): string {
  const words = label
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
  return words.map((w, i) => (i === 0 ? w : w[0].toUpperCase() + w.slice(1))).join('')
}

/** Renders a dry run for a format name (`cli-json`, `api`, `api-verbose` → JSON; others → text). */
export function renderDryRun(run: DryRun, format: string): string {
  if (format === 'cli-json' || format === 'api' || format === 'api-verbose') {
    const json: Record<string, unknown> = {dryRun: true, method: run.method, path: run.path}
    if (run.body !== undefined) json.body = run.body
    for (const [label, value] of run.notes ?? []) json[noteKey(label)] = value
    return `${JSON.stringify(json, null, 2)}\n`
  }
  let text = `${run.method} ${run.path}\n`
  if (run.body !== undefined) text += `${JSON.stringify(run.body, null, 2)}\n`
  for (const [label, value] of run.notes ?? []) {
    text += Array.isArray(value) ? `${label}:\n${value.map((v) => `  ${v}\n`).join('')}` : `${label}: ${value}\n`
  }
  return text
}

export function printDryRun(run: DryRun, format: string, out = process.stdout, err = process.stderr): void {
  out.write(renderDryRun(run, format))
  err.write('Dry run: nothing was sent.\n')
}
