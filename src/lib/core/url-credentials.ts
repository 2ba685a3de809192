/**
 * Credentials written into a URL (`http://admin:secret@host:2113`) must never reach output, logs,
 * stored details or API answers. Every place that prints or stores a node URL, or a message that
 * may contain one, passes it through here.
 */
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)[^/\s@'"<>]*@/gi

/** Replaces the `user:password@` part of every URL in `text` with `***@`. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1***@')
}

/** Whether `url` carries a user name or password. */
export function hasUrlCredentials(url: string): boolean {
  try {
    const parsed = new URL(url)
    return parsed.username !== '' || parsed.password !== ''
  } catch {
    return false
  }
}
