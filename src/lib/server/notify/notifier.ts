import {newId} from '../ids.js'
import type {Store} from '../store/index.js'
import {sendNotification, type Notification, type SendResult} from './send.js'

export interface NotifierOptions {
  now: () => Date
  log: (message: string) => void
  /** In [0, 1): the jitter of the backoff. */
  random?: () => number
  /** Tries per message, the first included. */
  maxAttempts?: number
  baseDelayMs?: number
  pollMs?: number
  /** Also run on each poll (the overdue check). */
  onPoll?: () => void
}

export const DEFAULT_MAX_ATTEMPTS = 6
const DEFAULT_BASE_DELAY_MS = 5_000
const MAX_DELAY_MS = 60 * 60 * 1000

/**
 * Queues one message per active integration of the project for each event, in SQLite (so a restart
 * resumes them), and sends what is due. Sending never runs inside the operation that raised the
 * event and never throws into it; a failed try is retried with exponential backoff and jitter,
 * honouring Retry-After, up to `maxAttempts`, each try recorded.
 */
export class Notifier {
  private readonly inFlight = new Set<string>()
  private timer: NodeJS.Timeout | undefined
  private draining: Promise<void> | undefined

  constructor(
    private readonly store: Store,
    private readonly options: NotifierOptions,
  ) {}

  /** Queues the event for every integration that takes it, then starts sending in the background. */
  notify(organizationId: string, projectId: string, notification: Notification): void {
    try {
      const now = this.options.now().toISOString()
      // One transaction: a crash or a failed write half-way must not tell some integrations and not others.
      this.store.db.transaction(() => this.queue(organizationId, projectId, notification, now))()
    } catch (error) {
      this.options.log(`notification of ${notification.event} not queued: ${(error as Error).message}`)
      return
    }
    void this.drain()
  }

  private queue(organizationId: string, projectId: string, notification: Notification, now: string): void {
    for (const row of this.store.integrations.list(organizationId, projectId)) {
      const config = JSON.parse(row.config) as {notifySuccess?: boolean}
      if (notification.event === 'backupSucceeded' && !(row.sink === 'webhook' && config.notifySuccess)) continue
      this.store.integrations.recordDelivery({
        id: newId(Date.parse(now)),
        integration_id: row.id,
        event: notification.event,
        payload: JSON.stringify(notification),
        attempt: 1,
        state: 'pending',
        attempted_at: now,
        status_code: null,
        error: null,
        next_attempt_at: now,
      })
    }
  }

  /** Sends every due message once; resolves when they are settled. */
  drain(): Promise<void> {
    this.draining ??= this.sendDue().finally(() => (this.draining = undefined))
    return this.draining
  }

  start(): void {
    this.timer ??= setInterval(() => {
      try {
        this.options.onPoll?.()
      } catch (error) {
        this.options.log(`overdue check failed: ${(error as Error).message}`)
      }
      void this.drain()
    }, this.options.pollMs ?? 1000)
    this.timer.unref()
    void this.drain()
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = undefined
    await this.draining
  }

  private async sendDue(): Promise<void> {
    const due = this.store.integrations.due(this.options.now().toISOString()).filter((row) => !this.inFlight.has(row.id))
    await Promise.all(
      due.map(async (delivery) => {
        this.inFlight.add(delivery.id)
        try {
          const integration = this.store.integrations.get(delivery.integration_id)
          const notification = JSON.parse(delivery.payload) as Notification
          const result: SendResult =
            integration && integration.status === 'active'
              ? await sendNotification(integration, notification, this.options.now())
              : {delivered: false, error: 'the integration was deleted'}
          const attemptedAt = this.options.now()
          const retry =
            !result.delivered && integration?.status === 'active' && delivery.attempt < (this.options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS)
          const next = retry
            ? new Date(attemptedAt.getTime() + this.delayMs(delivery.attempt, result.retryAfterSeconds)).toISOString()
            : null
          // The try's outcome and its retry are one write: a crash between them would give the message up.
          this.store.db.transaction(() => {
            this.store.integrations.settle(delivery.id, {
              state: result.delivered ? 'delivered' : 'failed',
              attempted_at: attemptedAt.toISOString(),
              status_code: result.statusCode ?? null,
              error: result.delivered ? null : (result.error ?? null),
              next_attempt_at: next,
            })
            if (next) {
              this.store.integrations.recordDelivery({
                ...delivery,
                id: newId(attemptedAt.getTime()),
                attempt: delivery.attempt + 1,
                state: 'pending',
                attempted_at: next,
                status_code: null,
                error: null,
                next_attempt_at: next,
              })
            }
          })()
          if (!result.delivered) {
            this.options.log(
              `delivery ${delivery.id} to integration ${delivery.integration_id} failed (try ${delivery.attempt}): ${result.error}`,
            )
          }
        } catch (error) {
          this.options.log(`delivery ${delivery.id} not sent: ${(error as Error).message}`)
        } finally {
          this.inFlight.delete(delivery.id)
        }
      }),
    )
  }

  /** Exponential backoff with up to 25% jitter; never sooner than the receiver's Retry-After. */
  private delayMs(attempt: number, retryAfterSeconds?: number): number {
    const base = (this.options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS) * 2 ** (attempt - 1)
    const jittered = Math.min(MAX_DELAY_MS, base * (1 + 0.25 * (this.options.random ?? Math.random)()))
    return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000)
  }
}
