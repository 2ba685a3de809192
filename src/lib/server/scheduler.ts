import type {JobRunner} from './jobs.js'
import {nextRun} from './lib-adapter.js'
import type {Store} from './store/index.js'
import type {JobRow} from './store/jobs.js'

/** setTimeout's limit; longer waits are re-armed (a weekly schedule is well under it anyway). */
const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * Fires active jobs on their cron schedule (UTC). One timer per job, re-armed after each firing
 * from the clock, so a fake clock (tests) drives it exactly.
 */
export class Scheduler {
  private readonly timers = new Map<string, NodeJS.Timeout>()
  private stopped = false

  constructor(
    private readonly store: Store,
    private readonly jobs: JobRunner,
    private readonly now: () => Date = () => new Date(),
  ) {}

  start(): void {
    this.stopped = false
    for (const job of this.store.jobs.active()) this.arm(job)
  }

  stop(): void {
    this.stopped = true
    for (const timer of this.timers.values()) clearTimeout(timer)
    this.timers.clear()
  }

  /** (Re)arms a job after create; disarms it when it is no longer active. */
  arm(job: JobRow): void {
    this.disarm(job.id)
    if (this.stopped || job.status !== 'active') return
    const next = nextRun(job.schedule, this.now())
    if (!next) return
    const delay = Math.max(0, next.getTime() - this.now().getTime())
    const timer = setTimeout(() => this.fire(job.id, next), Math.min(delay, MAX_TIMER_MS))
    timer.unref?.()
    this.timers.set(job.id, timer)
  }

  disarm(jobId: string): void {
    const timer = this.timers.get(jobId)
    if (timer) clearTimeout(timer)
    this.timers.delete(jobId)
  }

  get armedCount(): number {
    return this.timers.size
  }

  private fire(jobId: string, due: Date): void {
    this.timers.delete(jobId)
    const job = this.store.jobs.get(jobId)
    if (!job || job.status !== 'active' || this.stopped) return
    // A timer capped at MAX_TIMER_MS can wake early: just re-arm.
    if (this.now().getTime() >= due.getTime()) this.jobs.run(job)
    this.arm(job)
  }
}
