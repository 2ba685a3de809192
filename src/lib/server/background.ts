/** The error's message for a status `details` or a log line; never empty. */
export const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error)) || 'unknown error'

/**
 * The operations running in the background, each with its abort controller, so shutdown can ask
 * them to stop at a safe point and wait for them.
 */
export class BackgroundWork {
  private readonly running = new Map<string, {controller: AbortController; done: Promise<void>}>()

  constructor(private readonly log: (message: string) => void) {}

  /** Starts `work` under `key`; an error that escapes it is logged, never thrown. */
  track(key: string, work: (signal: AbortSignal) => Promise<void>): void {
    const controller = new AbortController()
    const done = work(controller.signal)
      .catch((error) => this.log(`operation ${key} failed unexpectedly: ${reason(error)}`))
      .finally(() => this.running.delete(key))
    this.running.set(key, {controller, done})
  }

  /** Resolves when nothing is running. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running.values()].map((op) => op.done))
  }

  get size(): number {
    return this.running.size
  }

  abortAll(): void {
    for (const op of this.running.values()) op.controller.abort()
  }
}

/** Backups being read (by a restore, or linked from by a backup): deleting them must wait. */
export class BackupReaders {
  private readonly readers = new Map<string, number>()

  begin(backupId: string): void {
    this.readers.set(backupId, (this.readers.get(backupId) ?? 0) + 1)
  }

  end(backupId: string): void {
    const readers = (this.readers.get(backupId) ?? 1) - 1
    if (readers > 0) this.readers.set(backupId, readers)
    else this.readers.delete(backupId)
  }

  isRead(backupId: string): boolean {
    return this.readers.has(backupId)
  }
}
