/**
 * Hides secrets in text printed by --debug: JSON values and form fields whose key names a token,
 * password or secret, and the credentials of Authorization headers.
 */
const SECRET_KEY = /token|password|secret|authorization|otp|client_assertion|api[-_]?key/i
const MASK = '***'

export function redactText(text: string): string {
  if (!text) return text
  const trimmed = text.trim()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(redactValue(JSON.parse(trimmed)))
    } catch {
      // not JSON after all: fall through to the pattern based redaction
    }
  }
  return redactString(text).replace(
    /("[^"]*(?:token|password|secret|authorization|api[-_]?key)[^"]*"\s*:\s*)"(?:[^"\\]|\\.)*"/gi,
    `$1"${MASK}"`,
  )
}

/** Bearer/Basic credentials and `key=value` pairs whose key names a secret (form bodies, URLs). */
function redactString(text: string): string {
  return text
    .replace(/\b(Bearer|Basic)\s+[^\s",]+/gi, `$1 ${MASK}`)
    .replace(/(^|[&?\s])([\w.-]*(?:token|password|secret|otp)[\w.-]*)=[^&\s]*/gi, `$1$2=${MASK}`)
}

export function redactValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => redactValue(v))
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_KEY.test(k) && v !== null && typeof v !== 'object' ? MASK : redactValue(v)
    }
    return out
  }
  return typeof value === 'string' ? redactString(value) : value
}

export function redactHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) continue
    out[k] = SECRET_KEY.test(k) ? v.replace(/^(\w+\s+).*$/, `$1${MASK}`).replace(/^[^\s]+$/, MASK) : v
  }
  return out
}
