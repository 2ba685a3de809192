import type Database from 'better-sqlite3'

/** Hashes only: secrets, passwords and refresh tokens are never stored in clear. */
export class IdentityRepo {
  constructor(private readonly db: Database.Database) {}

  addClient(clientId: string, secretHash: string, created: string): void {
    this.db.prepare('INSERT INTO clients(client_id, secret_hash, created) VALUES (?, ?, ?)').run(clientId, secretHash, created)
  }

  clientSecretHash(clientId: string): string | undefined {
    return (this.db.prepare('SELECT secret_hash FROM clients WHERE client_id = ?').get(clientId) as {secret_hash: string} | undefined)
      ?.secret_hash
  }

  addUser(username: string, passwordHash: string, created: string): void {
    this.db.prepare('INSERT INTO users(username, password_hash, created) VALUES (?, ?, ?)').run(username, passwordHash, created)
  }

  passwordHash(username: string): string | undefined {
    return (this.db.prepare('SELECT password_hash FROM users WHERE username = ?').get(username) as {password_hash: string} | undefined)
      ?.password_hash
  }

  addRefreshToken(tokenHash: string, subject: string, created: string): void {
    this.db.prepare('INSERT INTO refresh_tokens(token_hash, subject, created) VALUES (?, ?, ?)').run(tokenHash, subject, created)
  }

  refreshTokenSubject(tokenHash: string): string | undefined {
    return (this.db.prepare('SELECT subject FROM refresh_tokens WHERE token_hash = ?').get(tokenHash) as {subject: string} | undefined)
      ?.subject
  }

  /** Removes a user, a client and a refresh token at once (undoing a first start that failed). */
  remove(username: string, clientId: string, refreshTokenHash: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM users WHERE username = ?').run(username)
      this.db.prepare('DELETE FROM clients WHERE client_id = ?').run(clientId)
      this.db.prepare('DELETE FROM refresh_tokens WHERE token_hash = ?').run(refreshTokenHash)
    })()
  }

  hasUsers(): boolean {
    return this.db.prepare('SELECT 1 FROM users LIMIT 1').get() !== undefined
  }
}
