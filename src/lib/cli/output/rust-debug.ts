/**
 * Reproduces Rust's `{:?}` (Debug) rendering of esc's v1 values, byte for byte where scripts parse
 * it (e.g. `BackupId("…")`). Also the chrono timestamp renderings esc uses.
 */

/** Rust `str` Debug: quotes plus `escape_debug` (\" \\ \n \r \t \0, other controls as \u{…}). */
export function debugStr(s: string): string {
  let out = '"'
  for (const ch of s) {
    const c = ch.codePointAt(0)!
    if (ch === '"') out += '\\"'
    else if (ch === '\\') out += '\\\\'
    else if (ch === '\n') out += '\\n'
    else if (ch === '\r') out += '\\r'
    else if (ch === '\t') out += '\\t'
    else if (c === 0) out += '\\0'
    else if (
      c < 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      c === 0xad ||
      (c >= 0x200b && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202e) ||
      c === 0xfeff
    ) {
      out += `\\u{${c.toString(16)}}`
    } else out += ch
  }
  return `${out}"`
}

/** A tuple struct / newtype: `BackupId("…")`. */
export function debugNewtype(name: string, value: string): string {
  return `${name}(${debugStr(value)})`
}

/** A struct with named fields; values are already Debug-rendered. */
export function debugStruct(name: string, fields: Array<[string, string]>): string {
  if (fields.length === 0) return name
  return `${name} { ${fields.map(([k, v]) => `${k}: ${v}`).join(', ')} }`
}

export function debugOption<T>(value: T | undefined | null, render: (v: T) => string): string {
  return value === undefined || value === null ? 'None' : `Some(${render(value)})`
}

export function debugVec(items: string[]): string {
  return `[${items.join(', ')}]`
}

export function debugNum(n: number): string {
  return String(n)
}

/** Unit enum variant name from a kebab/space/snake value: `three-node-multi-zone` → `ThreeNodeMultiZone`. */
export function pascalVariant(value: string): string {
  return value
    .split(/[-_\s]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1).toLowerCase())
    .join('')
}

// ---- timestamps ----

interface Instant {
  /** Seconds since the epoch, UTC. */
  seconds: number
  nanos: number
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9})\d*)?([Zz]|[+-]\d{2}:?\d{2})$/

export function parseRfc3339(text: string): Instant | undefined {
  const m = RFC3339.exec(text.trim())
  if (!m) return undefined
  const [, y, mo, d, h, mi, s, frac, zone] = m
  let seconds = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s) / 1000
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    seconds -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60)
  }
  return {seconds, nanos: frac ? Number(frac.padEnd(9, '0')) : 0}
}

/** chrono's `SecondsFormat::AutoSi` fraction: none, or 3/6/9 digits. */
function autoSiFraction(nanos: number): string {
  if (nanos === 0) return ''
  if (nanos % 1_000_000 === 0) return `.${String(nanos / 1_000_000).padStart(3, '0')}`
  if (nanos % 1000 === 0) return `.${String(nanos / 1000).padStart(6, '0')}`
  return `.${String(nanos).padStart(9, '0')}`
}

function naive(i: Instant): string {
  return new Date(i.seconds * 1000).toISOString().slice(0, 19) + autoSiFraction(i.nanos)
}

/** `DateTime<Utc>::to_rfc3339()`: `2021-03-26T14:38:12+00:00`. Unparseable input is returned as is. */
export function rfc3339Offset(text: string): string {
  const i = parseRfc3339(text)
  return i ? `${naive(i)}+00:00` : text
}

/** `DateTime<Utc>` Debug and serde rendering: `2021-03-26T14:38:12Z`. Unparseable input is returned as is. */
export function rfc3339Utc(text: string): string {
  const i = parseRfc3339(text)
  return i ? `${naive(i)}Z` : text
}
