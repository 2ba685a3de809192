import type {ApiResponse, HttpExchange} from '../../client/api/exchange.js'
import type {OutputFormat} from './format.js'
import type {IdKind, ResourceKind} from './kinds.js'
import {redactText} from '../../client/api/redact.js'
import {debugNewtype} from './rust-debug.js'

export interface PrinterOptions {
  /** `-q/--quiet`: ids only, one per line, whatever the format. */
  quiet?: boolean
  write?: (text: string) => void
  /** Clock for relative dates in tables. */
  now?: () => Date
  /** Terminal width that table lists are fitted to (long cells cut with an ellipsis); whole cells when absent. */
  width?: number
}

/**
 * The one place that turns API results into stdout, for every command and format:
 * `cli` (esc's Rust Debug), `cli-json`/`--json` (v1 JSON, no trailing newline), `api` (raw
 * body, request body first), `api-verbose` (method, URL, status too), `table` (for people).
 * Everything is rendered before anything is written, so a failing projection prints nothing.
 */
export class Printer {
  readonly format: OutputFormat
  readonly quiet: boolean
  /** Where output goes (stdout unless the options said otherwise); for text no other method renders. */
  readonly write: (text: string) => void
  private readonly now: () => Date
  private readonly width?: number

  constructor(format: OutputFormat, options: PrinterOptions = {}) {
    this.format = format
    this.quiet = options.quiet ?? false
    this.write = options.write ?? ((text) => void process.stdout.write(text))
    this.now = options.now ?? (() => new Date())
    this.width = options.width
  }

  /** `api`/`api-verbose` print the HTTP exchange itself, errors included. */
  get isApiFormat(): boolean {
    return this.format === 'api' || this.format === 'api-verbose'
  }

  /** One resource (a `get`). */
  async item<T>(kind: ResourceKind<T>, item: T, res: ApiResponse<unknown>): Promise<void> {
    if (this.quiet) return this.write(`${kind.id(item)}\n`)
    switch (this.format) {
      case 'api':
      case 'api-verbose':
        return this.exchange(res.exchange)
      case 'cli':
        return this.write(`${kind.debug(item)}\n`)
      case 'cli-json':
        return this.write(JSON.stringify(kind.v1(item), null, 2))
      case 'table': {
        const {renderFields} = await import('./table.js')
        return this.write(await renderFields(kind.fields, item, this.now))
      }
    }
  }

  /**
   * A list. `items` may be filtered/sorted by the command; `api` formats still print the raw body
   * (they show the exchange, not a view of it).
   */
  async list<T>(kind: ResourceKind<T>, items: T[], res: ApiResponse<unknown>): Promise<void> {
    if (this.quiet) return this.write(items.map((i) => `${kind.id(i)}\n`).join(''))
    switch (this.format) {
      case 'api':
      case 'api-verbose':
        return this.exchange(res.exchange)
      case 'cli':
        return this.write(items.map((i) => `${kind.debug(i)}\n`).join('') + '\n')
      case 'cli-json':
        return this.write(
          JSON.stringify(
            items.map((i) => kind.v1(i)),
            null,
            2,
          ),
        )
      case 'table': {
        const {renderTable} = await import('./table.js')
        return this.write(await renderTable(kind, items, this.now, {width: this.width}))
      }
    }
  }

  /**
   * An answer printed whole (the integrations): `cli` is the response's one Debug line and JSON keeps
   * its wrapper; `table` and `-q` show the items like any list or item.
   */
  async wrapped<T>(
    kind: ResourceKind<T>,
    items: T[],
    view: {debug?: string; json: unknown},
    res: ApiResponse<unknown>,
    shape: 'one' | 'list',
  ): Promise<void> {
    if (this.quiet) return this.write(items.map((i) => `${kind.id(i)}\n`).join(''))
    switch (this.format) {
      case 'api':
      case 'api-verbose':
        return this.exchange(res.exchange)
      case 'cli':
        // No Debug line: the official CLI prints the JSON here too (the ACLs).
        return this.write(view.debug === undefined ? JSON.stringify(view.json, null, 2) : `${view.debug}\n`)
      case 'cli-json':
        return this.write(JSON.stringify(view.json, null, 2))
      case 'table': {
        const {renderFields, renderTable} = await import('./table.js')
        if (shape === 'one' && items.length === 1) return this.write(await renderFields(kind.fields, items[0], this.now))
        return this.write(await renderTable(kind, items, this.now, {width: this.width}))
      }
    }
  }

  /** The id returned by a create: `BackupId("…")`, `"…"` in JSON. */
  async created(kind: IdKind, res: ApiResponse<{id: string}>): Promise<void> {
    const id = res.data.id
    if (this.quiet) return this.write(`${id}\n`)
    switch (this.format) {
      case 'api':
      case 'api-verbose':
        return this.exchange(res.exchange)
      case 'cli':
        return this.write(kind.wrapped ? JSON.stringify({id}, null, 2) : `${debugNewtype(kind.debugName, id)}\n`)
      case 'cli-json':
        return this.write(JSON.stringify(kind.wrapped ? {id} : id, null, 2))
      case 'table':
        return this.write(`Created ${kind.noun} ${id}\n`)
    }
  }

  /** An answer that is no resource (a setting): `-q` and `table` print `text`, a line. */
  async answer(view: {debug: string; json: unknown}, res: ApiResponse<unknown>, text: string): Promise<void> {
    if (this.quiet || this.format === 'table') return this.write(`${text}\n`)
    if (this.isApiFormat) return this.exchange(res.exchange)
    return this.write(this.format === 'cli' ? `${view.debug}\n` : JSON.stringify(view.json, null, 2))
  }

  /** A mutation without a result (delete, update…): silent except in `api` formats. */
  async done(res: ApiResponse<unknown>): Promise<void> {
    if (this.isApiFormat && !this.quiet) this.exchange(res.exchange)
  }

  /** Prints an exchange the way esc's TrafficSpy does (also used for non-2xx in api formats). */
  exchange(x: HttpExchange): void {
    const verbose = this.format === 'api-verbose'
    const ok = x.status >= 200 && x.status <= 299
    let out = ''
    if (verbose) out += `${x.method} ${x.url}\n`
    // A request body may carry a write-only secret (an integration's token or key): never echoed.
    if (x.requestBody) out += `${redactText(x.requestBody)}\n`
    if (verbose || !ok) out += `status: ${x.status}\n`
    if (x.responseText) out += `${x.responseText}\n`
    this.write(out)
  }
}
