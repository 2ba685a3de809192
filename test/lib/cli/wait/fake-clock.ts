/**
 * Typed access to @sinonjs/fake-timers, which ships no type declarations (and @types/sinonjs__fake-timers
 * is not installed). Only the part our tests use is typed.
 */
import {createRequire} from 'node:module'

export type FakeTimerName = 'setTimeout' | 'clearTimeout' | 'setInterval' | 'clearInterval' | 'Date' | 'setImmediate'

export interface FakeClock {
  now: number
  setTimeout(callback: () => void, ms: number): unknown
  clearTimeout(id: unknown): void
  tick(ms: number): number
  tickAsync(ms: number): Promise<number>
  runAllAsync(): Promise<number>
  runToLastAsync(): Promise<number>
}

export interface InstalledFakeClock extends FakeClock {
  uninstall(): void
}

interface FakeTimersModule {
  install(options: {now?: number; toFake?: FakeTimerName[]; shouldClearNativeTimers?: boolean}): InstalledFakeClock
  createClock(now?: number): FakeClock
}

const require = createRequire(import.meta.url)
const FakeTimers = require('@sinonjs/fake-timers') as FakeTimersModule

/** Fakes the timers the waiters use (and Date), starting at `now`. Uninstall in afterEach. */
export function installFakeClock(
  now = 0,
  toFake: FakeTimerName[] = ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
): InstalledFakeClock {
  return FakeTimers.install({now, toFake})
}

/** A clock that is not installed globally, for injecting into waiters. */
export function createFakeClock(now = 0): FakeClock {
  return FakeTimers.createClock(now)
}
