import {randomBytes, timingSafeEqual} from 'node:crypto'

export const SESSION_COOKIE = 'esc_console'

/** A signed-in browser: who, and the token its state-changing requests must echo in a header. */
export interface ConsoleSession {
  subject: string
  csrfToken: string
  expiresAt: number
}

/**
 * The console's sessions, in memory: an id in an HttpOnly cookie names one. Kept on the server (not
 * a self-contained token) so that signing out ends the session for good, even for a copied cookie;
 * a restart of the local cloud signs everyone out, which is fine on loopback.
 */
export class ConsoleSessions {
  private readonly sessions = new Map<string, ConsoleSession>()

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttlMs = 12 * 3600_000,
  ) {}

  create(subject: string): {id: string; session: ConsoleSession} {
    this.prune()
    const id = randomBytes(32).toString('base64url')
    const session = {subject, csrfToken: randomBytes(32).toString('base64url'), expiresAt: this.now() + this.ttlMs}
    this.sessions.set(id, session)
    return {id, session}
  }

  get(id: string | undefined): ConsoleSession | undefined {
    if (!id) return undefined
    const session = this.sessions.get(id)
    if (!session) return undefined
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id)
      return undefined
    }
    return session
  }

  end(id: string | undefined): void {
    if (id) this.sessions.delete(id)
  }

  private prune(): void {
    const now = this.now()
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id)
  }
}

/** Compares a request's CSRF header with the session's token in constant time. */
export function csrfMatches(session: ConsoleSession, given: string | string[] | undefined): boolean {
  if (typeof given !== 'string') return false
  const a = Buffer.from(given)
  const b = Buffer.from(session.csrfToken)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** The value of one cookie in a Cookie header. */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=')
    if (key === name) return rest.join('=')
  }
  return undefined
}

const ATTRIBUTES = 'Path=/; HttpOnly; SameSite=Strict'
export const sessionCookie = (id: string) => `${SESSION_COOKIE}=${id}; ${ATTRIBUTES}`
export const clearedSessionCookie = () => `${SESSION_COOKIE}=; ${ATTRIBUTES}; Max-Age=0`
