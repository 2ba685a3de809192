import {randomBytes} from 'node:crypto'

export const SESSION_COOKIE = 'esc_console'

/**
 * A signed-in browser: who, and (under `_csrf`) the secret @fastify/csrf-protection derives the
 * page's tokens from and checks a state-changing request's X-CSRF-Token header against.
 */
export interface ConsoleSession {
  subject: string
  _csrf?: string
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
    const session: ConsoleSession = {subject, expiresAt: this.now() + this.ttlMs}
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

/**
 * The session cookie's attributes (serialized by @fastify/cookie): script cannot read it, another
 * site's request does not carry it, and over https it is never sent in the clear.
 */
export function sessionCookieOptions(protocol: string) {
  return {path: '/', httpOnly: true, sameSite: 'strict' as const, secure: protocol === 'https'}
}
