/**
 * The `table` format: cli-table3 tables for lists, an aligned label/value block for one item.
 * Loaded lazily (cli-table3, date-fns) so other formats pay nothing for it.
 */
import {formatDuration} from '../../core/duration.js'
import {escapeControl} from './escape-control.js'
import {fitRows} from './fit-width.js'
import type {CellFormat, Column, ResourceKind} from './kinds.js'
import {parseRfc3339} from './rust-debug.js'

export async function cellFormat(now: () => Date): Promise<CellFormat> {
  const {formatDistanceStrict} = await import('date-fns')
  return {
    date(value) {
      if (!value) return '—'
      const i = parseRfc3339(value)
      if (!i) return value
      const d = new Date(i.seconds * 1000)
      const abs = `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)} UTC`
      return `${abs} (${formatDistanceStrict(d, now(), {addSuffix: true})})`
    },
    relative(value) {
      if (!value) return '—'
      const i = parseRfc3339(value)
      return i ? formatDistanceStrict(new Date(i.seconds * 1000), now(), {addSuffix: true}) : value
    },
    now,
    size(gb, bytes) {
      if (bytes !== undefined) return humanBytes(bytes)
      return gb === undefined || gb === null ? '—' : `${gb} GB`
    },
    duration(start, end) {
      const s = start ? parseRfc3339(start) : undefined
      const e = end ? parseRfc3339(end) : undefined
      if (!s) return '—'
      if (!e) return 'running'
      return formatDuration((e.seconds - s.seconds) * 1000, 'unpadded')
    },
  }
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

/** `512 B`, `12.3 MiB`, `1.5 GiB`. */
function humanBytes(n: number): string {
  let v = n
  let u = 0
  while (v >= 1024 && u < BYTE_UNITS.length - 1) {
    v /= 1024
    u++
  }
  return `${u === 0 ? v : v.toFixed(1)} ${BYTE_UNITS[u]}`
}

export interface TableOptions {
  /** Fit lines to this many characters, cutting long cells with an ellipsis; whole cells when absent. */
  width?: number
}

export async function renderTable<T>(kind: ResourceKind<T>, items: T[], now: () => Date, options: TableOptions = {}): Promise<string> {
  if (items.length === 0) return `No ${kind.plural} found.\n`
  const [{default: Table}, f] = await Promise.all([import('cli-table3'), cellFormat(now)])
  const head = kind.columns.map((c) => c.header)
  const table = new Table({head, style: {head: [], border: [], compact: false}, wordWrap: false})
  // Escaped before measuring, so the widths are those of what is printed.
  let rows = items.map((item) => kind.columns.map((c) => escapeControl(c.cell(item, f))))
  if (options.width) rows = fitRows(head, rows, options.width, (i) => head[i] === 'ID')
  for (const row of rows) table.push(row)
  return `${table.toString()}\n`
}

export async function renderFields<T>(fields: Array<Column<T>>, item: T, now: () => Date): Promise<string> {
  const f = await cellFormat(now)
  const width = Math.max(...fields.map((c) => c.header.length))
  return fields.map((c) => `${c.header.padEnd(width)}  ${escapeControl(c.cell(item, f))}`.trimEnd()).join('\n') + '\n'
}
