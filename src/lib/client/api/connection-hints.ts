/**
 * Wording shared by the API transport and the identity client when a connection fails: which
 * failures point at a local cloud that is not running, and which at a URL with the wrong scheme.
 */

export const LOCAL_CLOUD_ADVICE = 'is the local cloud running? start it with `esc local start`'

/** True for localhost, 127.0.0.0/8 and ::1: where `esc local start` listens by default. */
export function isLoopbackUrl(url: string): boolean {
  let host: string
  try {
    host = new URL(url).hostname
  } catch {
    return false
  }
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)
}

/**
 * True when a TLS handshake got a plain-HTTP answer: OpenSSL reports it as a record with a "wrong
 * version number" (EPROTO), which says nothing useful to someone who typed https:// by habit.
 */
export function isPlainHttpAnswer(url: string, error: unknown): boolean {
  if (!url.startsWith('https:')) return false
  const code = (error as {code?: string}).code ?? ''
  const message = (error as {message?: string}).message ?? ''
  return (code === 'EPROTO' || code.startsWith('ERR_SSL_')) && /wrong version number|http request/i.test(message)
}

/** The same URL with http:// in place of https://. */
export function asPlainHttp(url: string): string {
  return url.replace(/^https:/, 'http:')
}
