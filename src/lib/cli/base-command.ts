import {Command, Errors, Flags, Interfaces} from '@oclif/core'

import {ApiDecodeError, ApiError} from '../client/api/errors.js'
import {isEscError} from '../core/errors.js'
import {FlagValueError} from './base-flags.js'
import {closestFlag} from './did-you-mean.js'
import {describeError, exitCodeOf, ExitCode} from './error-exit.js'
import type {Printer} from './output/printer.js'
import {systemClock, type WaitClock} from '../core/clock.js'

/** The flags of every command, cloud or not. */
export const commonFlags = {
  debug: Flags.boolean({description: 'Prints a verbose output during the program execution', helpGroup: 'GLOBAL'}),
}

/**
 * Time as one run of a command sees it. A test that runs a command in-process sets virtual clocks
 * on the instance before it runs (test/support/run-cli.ts), so nothing sleeps for real.
 */
export interface CommandClocks {
  /** What waits poll and time out with (--wait, the wait commands, lock retries), and "now" for labels and schedules. */
  wait: WaitClock
  /** How the API client sleeps between retries of a failed call (default: a timer). */
  retrySleep?: (ms: number) => Promise<void>
}

/**
 * The base of every esc command: `--debug`, one place that turns errors into a one-line message
 * and a documented exit code, and, for commands with `static enableJsonFlag = true`, `--json`: such
 * a command's run() returns its result and, with --json, the base prints it as pretty JSON with a
 * trailing newline (the command prints its human output only when `this.jsonEnabled()` is false).
 * Commands of the Kurrent Cloud API extend CloudCommand (base-cloud-command.ts) instead.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = commonFlags

  clocks: CommandClocks = {wait: systemClock}
  protected debugEnabled = false
  /** Set by commands that print through a Printer (the cloud commands): API errors then print in its format. */
  protected printer?: Printer

  public override async init(): Promise<void> {
    this.debugEnabled = this.argv.includes('--debug') || process.env.ESC_DEBUG === '1'
    await super.init()
  }

  /** oclif's parse, with a flag value that does not parse reported as its one line (exit 2). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- oclif's own bounds (FlagOutput, ArgOutput), which it does not export
  protected override async parse<F extends Record<string, any>, B extends Record<string, any>, A extends Record<string, any>>(
    options?: Interfaces.Input<F, B, A>,
    argv?: string[],
  ): Promise<Interfaces.ParserOutput<F, B, A>> {
    try {
      return await super.parse(options, argv)
    } catch (error) {
      if (error instanceof FlagValueError) error.message = error.reason
      throw error
    }
  }

  /** The one JSON printer of results (--json): pretty, a trailing newline, never colored. */
  public override logJson(json: unknown): void {
    process.stdout.write(`${JSON.stringify(json, null, 2)}\n`)
  }

  /** The result as run() returned it: no envelope. */
  protected override toSuccessJson(result: unknown): unknown {
    return result
  }

  /**
   * Ends the command with `code` after its output: with --json the result is printed first (the
   * result is the output even when it reports a failure, e.g. a verify that found problems).
   */
  protected exitWithResult(result: unknown, code: number): never {
    if (this.jsonEnabled()) this.logJson(this.toSuccessJson(result))
    return this.exit(code)
  }

  /** With --debug, a writer of `[debug] <prefix><line>` lines on stderr; otherwise undefined. */
  protected debugLog(prefix = ''): ((line: string) => void) | undefined {
    return this.debugEnabled ? (line) => void process.stderr.write(`[debug] ${prefix}${line}\n`) : undefined
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    // In api/api-verbose a non-2xx is output, not an error: the exchange goes to stdout, exit 1.
    if (this.printer?.isApiFormat && err instanceof ApiError) {
      this.printer.exchange(err.exchange)
      this.exit(ExitCode.Failure)
    }
    // esc prints the body before failing to decode it; so do we.
    if (this.printer?.isApiFormat && err instanceof ApiDecodeError) this.printer.exchange(err.exchange)
    if (isEscError(err)) {
      const {message, suggestions} = describeError(err)
      this.printError(message, suggestions)
      if (this.debugEnabled) {
        for (const line of err.debugDetails) process.stderr.write(`${line}\n`)
        if (err.stack) process.stderr.write(`${err.stack}\n`)
      }
      this.exit(exitCodeOf(err))
    }
    // oclif's own exit() throws this; let it through untouched.
    if (err instanceof Errors.ExitError) throw err
    // oclif parse errors (unknown flag, bad option, missing required flag) are usage errors.
    if (err instanceof Errors.CLIError && isParseError(err)) {
      this.printError(parseErrorSummary(err.message) + this.didYouMean(err), [
        `See more help with \`esc ${this.id?.replaceAll(':', ' ') ?? ''} --help\``,
      ])
      if (this.debugEnabled && err.stack) process.stderr.write(`${err.stack}\n`)
      this.exit(ExitCode.Usage)
    }
    this.printError(err.message ?? String(err))
    if (this.debugEnabled && err.stack) process.stderr.write(`${err.stack}\n`)
    this.exit(typeof err.exitCode === 'number' && err.exitCode !== 0 ? err.exitCode : ExitCode.Failure)
  }

  /** `; did you mean --x?` for the one nonexistent flag of a parse error, when a flag of this command is near. */
  private didYouMean(err: Errors.CLIError): string {
    const {flags} = err as Errors.CLIError & {flags?: unknown}
    if (!Array.isArray(flags) || flags.length !== 1 || typeof flags[0] !== 'string' || !flags[0].startsWith('--')) return ''
    const names = Object.entries(this.ctor.flags ?? {})
      .filter(([, f]) => !f.hidden)
      .map(([name]) => name)
    const meant = closestFlag(flags[0].slice(2).split('=')[0], names)
    return meant ? `; did you mean --${meant}?` : ''
  }

  protected printError(message: string, suggestions: string[] = []): void {
    process.stderr.write(`Error: ${message}\n`)
    for (const s of suggestions) process.stderr.write(`  ${s}\n`)
  }
}

/** oclif's "The following error occurred:\n  Missing required flag x\nSee more help…" as one line. */
function parseErrorSummary(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !/^The following errors? occurred:?$/i.test(l) && !/^See more help/i.test(l))
  return lines.join('; ') || message.split('\n')[0]
}

function isParseError(err: Errors.CLIError): boolean {
  const name = err.constructor?.name ?? ''
  return /Flag|Arg|Parse|Required|Unexpected|Nonexistent|Validation/i.test(name) || err.oclif?.exit === 2
}
