import {LabelTemplate, LabelToken, parseLabelTemplate} from './parse.js'
import {DatetimeFormat} from './tokens.js'

export interface LabelCluster {
  id: string
  description: string
  /** As the API spells it (`aws`, `gcp`, `azure`); rendered unchanged. */
  provider: string
}

/**
 * What a label can refer to. Only the parts the template uses are required (see LabelTemplate.uses):
 * a client rendering `{datetime}` alone need not fetch the cluster or count its backups.
 */
export interface LabelContext {
  /** The backup's number in its cluster's counter (1, 2, …): auto-incremented per backup, never reused after deletes. */
  index?: number
  cluster?: LabelCluster
  /** When the backup is taken; rendered in UTC whatever the machine's time zone. */
  date?: Date
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad2 = (n: number) => String(n).padStart(2, '0')

/**
 * Renders a date the way each `datetime` format names it, always in UTC:
 * - `utc`     `2021-03-26 14:38:12 UTC`
 * - `rfc822`  `26 Mar 21 14:38 UTC` (RFC 822's date: two-digit year, no seconds)
 * - `unix`    `1616769492` (whole seconds)
 * - `json`    `2021-03-26T14:38:12.000Z` (JavaScript's Date#toJSON)
 * - `rfc3339` `2021-03-26T14:38:12Z` (whole seconds)
 */
export function formatLabelDate(date: Date, format: DatetimeFormat): string {
  if (Number.isNaN(date.getTime())) throw new RangeError('Cannot render an invalid date in a backup label')
  const ymd = `${date.getUTCFullYear()}-${pad2(date.getUTCMonth() + 1)}-${pad2(date.getUTCDate())}`
  const hm = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`
  const hms = `${hm}:${pad2(date.getUTCSeconds())}`
  switch (format) {
    case 'utc': {
      return `${ymd} ${hms} UTC`
    }
    case 'rfc822': {
      const yy = pad2(date.getUTCFullYear() % 100)
      return `${pad2(date.getUTCDate())} ${MONTHS[date.getUTCMonth()]} ${yy} ${hm} UTC`
    }
    case 'unix': {
      return String(Math.floor(date.getTime() / 1000))
    }
    case 'json': {
      return date.toJSON()
    }
    case 'rfc3339': {
      return `${ymd}T${hms}Z`
    }
  }
}

function renderToken(part: LabelToken, context: LabelContext): string {
  switch (part.token) {
    case 'index': {
      const {index} = context
      if (index === undefined) throw new TypeError('The label uses {index} but no backup index was given')
      if (!Number.isSafeInteger(index) || index < 1) throw new RangeError(`Backup index must be a positive integer, got ${index}`)
      return part.format === 'hex' ? index.toString(16) : String(index)
    }
    case 'cluster': {
      const {cluster} = context
      if (!cluster) throw new TypeError('The label uses {cluster} but no cluster was given')
      return cluster[part.format as keyof LabelCluster]
    }
    case 'datetime': {
      const {date} = context
      if (!date) throw new TypeError('The label uses {datetime} but no date was given')
      return formatLabelDate(date, part.format as DatetimeFormat)
    }
  }
}

/**
 * Renders a label template (a string, validated here, or an already parsed template).
 * Throws LabelTemplateError (a UsageError, exit 2) for an invalid template and TypeError when the
 * context lacks something the template uses (a programming error, not user input).
 */
export function renderLabel(template: string | LabelTemplate, context: LabelContext): string {
  const parsed = typeof template === 'string' ? parseLabelTemplate(template) : template
  return parsed.parts.map((part) => (part.kind === 'text' ? part.text : renderToken(part, context))).join('')
}
