/** Waiting for cloud operations: polling, progress, retries on cluster locks and exit codes.
 * Oclif flag definitions live in ./flags.js (imported directly by commands) so this index stays free of oclif.
 */
export {AbortError, isAbortError, sleep, systemClock} from '../../core/clock.js'
export type {WaitClock} from '../../core/clock.js'
export {withInterrupt} from './interrupt.js'
export {reattachCommand, waitOutcomeError} from './outcome.js'
export type {WaitTarget} from './outcome.js'
export {createProgress, isInteractive} from './progress.js'
export type {Progress, ProgressOptions, ProgressStream} from './progress.js'
export {isClusterLockedError, retryOnLock} from './retry-on-lock.js'
export type {RetryOnLockOptions} from './retry-on-lock.js'
export {httpStatusOf, isTransientError} from './transient.js'
export {DEFAULT_MAX_CONSECUTIVE_ERRORS, waitForStatus} from './wait-for-status.js'
export type {WaitOptions, WaitOutcome, WaitResult} from './wait-for-status.js'
