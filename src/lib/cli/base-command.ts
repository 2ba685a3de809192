import {Command, Errors, Flags, Interfaces} from '@oclif/core'

import type {ApiClient} from '../client/api/client.js'
import {ApiDecodeError, ApiError} from '../client/api/errors.js'
import type {EscContext} from '../client/config/context.js'
import {systemClock, type WaitClock} from '../core/clock.js'
import {EscError, ExitCode, UsageError} from '../core/errors.js'
import {OUTPUT_FORMATS, resolveFormat} from './output/format.js'
import {Printer} from './output/printer.js'

/**
 * Flags every esc command accepts. esc defines these on its root with `global = true`; oclif has
 * no global flags, so each command inherits them from here.
 */
export const globalFlags = {
  debug: Flags.boolean({description: 'Prints a verbose output during the program execution', helpGroup: 'GLOBAL'}),
  json: Flags.boolean({description: 'Renders the classic ESC output as JSON (some differences from API)', helpGroup: 'GLOBAL'}),
  fmt: Flags.string({
    description: 'Selects the output format',
    options: [...OUTPUT_FORMATS],
    helpGroup: 'GLOBAL',
  }),
  'refresh-token': Flags.string({
    description: 'Refresh token, useful if you intend to use esc in a CI/scripting setting',
    helpGroup: 'GLOBAL',
  }),
  noninteractive: Flags.boolean({description: 'If true never prompt for authentication details', helpGroup: 'GLOBAL'}),
  profile: Flags.string({description: 'Profile of settings.toml to use [env: ESC_PROFILE]', helpGroup: 'GLOBAL'}),
  'api-url': Flags.string({description: 'Base URL of the API [env: ESC_API_URL]', helpGroup: 'GLOBAL'}),
}

export type GlobalFlags = Interfaces.InferredFlags<typeof globalFlags>

/** `--org-id` (long only, like esc); falls back to ESC_ORG_ID, then the profile's org-id. */
export const orgFlag = (description: string) => Flags.string({description: `${description} [env: ESC_ORG_ID]`})
/** `--project-id` (long only, like esc); falls back to ESC_PROJECT_ID, then the profile's project-id. */
export const projectFlag = (description: string) => Flags.string({description: `${description} [env: ESC_PROJECT_ID]`})
/** `-i/--id`, required. */
export const idFlag = (description: string) => Flags.string({char: 'i', description, required: true})
/** `-q/--quiet`: ids only (not an esc flag). */
export const quietFlag = Flags.boolean({char: 'q', description: 'Print only ids, one per line'})

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

/** The flags the helpers below read; every command's parsed flags fit. */
export type CommandFlags = Partial<GlobalFlags> & {'org-id'?: string; 'project-id'?: string; quiet?: boolean}

/**
 * The base of every esc command: shared flags, the resolved context (profile, org, project, API
 * URL), the API client, the output printer, and one place that turns errors into a one-line
 * message and a documented exit code.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = globalFlags

  clocks: CommandClocks = {wait: systemClock}
  protected debugEnabled = false
  private cachedContext?: EscContext
  private printer?: Printer
  private client?: Promise<ApiClient>

  public override async init(): Promise<void> {
    this.debugEnabled = this.argv.includes('--debug') || process.env.ESC_DEBUG === '1'
    await super.init()
  }

  /** Profile/env/flag resolution (client/config/context.ts), once per run. */
  protected async context(flags: CommandFlags): Promise<EscContext> {
    if (!this.cachedContext) {
      const {resolveContext} = await import('../client/config/context.js')
      this.cachedContext = await resolveContext({
        profile: flags.profile, 'api-url': flags['api-url'], 'org-id': flags['org-id'], 'project-id': flags['project-id'],
      })
    }
    return this.cachedContext
  }

  /** The org and project every mesdb/orchestrate call needs, or esc's usage error (exit 2). */
  protected requireOrgProject(ctx: EscContext): {orgId: string; projectId: string} {
    if (!ctx.orgId) throw missingIdError('org-id', 'ESC_ORG_ID', 'an org-id', ctx)
    if (!ctx.projectId) throw missingIdError('project-id', 'ESC_PROJECT_ID', 'an project-id', ctx)
    return {orgId: ctx.orgId, projectId: ctx.projectId}
  }

  /** The output printer for this run (format resolved from --fmt, --json, the profile and the terminal). */
  protected async output(flags: CommandFlags): Promise<Printer> {
    if (!this.printer) {
      const ctx = await this.context(flags)
      const format = resolveFormat({flag: flags.fmt, json: flags.json, profile: ctx.fmt, isTTY: Boolean(process.stdout.isTTY)})
      this.printer = new Printer(format, {quiet: flags.quiet})
    }
    return this.printer
  }

  /**
   * The API client for this run, authenticated with the configured credentials (created once: a
   * command may ask for it lazily, e.g. only when it really sends). Resolves the printer too, so
   * API errors print in the chosen format.
   */
  protected apiClient(flags: CommandFlags): Promise<ApiClient> {
    this.client ??= this.createApiClient(flags)
    return this.client
  }

  private async createApiClient(flags: CommandFlags): Promise<ApiClient> {
    const ctx = await this.context(flags)
    await this.output(flags)
    const [{ApiClient}, {createTokenProvider}] = await Promise.all([
      import('../client/api/client.js'),
      import('../client/auth/credentials.js'),
    ])
    const tokens = await createTokenProvider(ctx, {
      refreshToken: flags['refresh-token'], noninteractive: flags.noninteractive, debug: this.debugEnabled,
    })
    return new ApiClient({
      baseUrl: ctx.apiUrl,
      tokens,
      userAgent: `esc/${this.config.version} node/${process.version}`,
      debug: this.debugLog(),
      ...(this.clocks.retrySleep ? {sleep: this.clocks.retrySleep} : {}),
    })
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
    if (err instanceof EscError) {
      this.printError(err.message, err.suggestions)
      if (this.debugEnabled) {
        for (const line of err.debugDetails) process.stderr.write(`${line}\n`)
        if (err.stack) process.stderr.write(`${err.stack}\n`)
      }
      this.exit(err.exit)
    }
    // oclif's own exit() throws this; let it through untouched.
    if (err instanceof Errors.ExitError) throw err
    // oclif parse errors (unknown flag, bad option, missing required flag) are usage errors.
    if (err instanceof Errors.CLIError && isParseError(err)) {
      this.printError(parseErrorSummary(err.message), [`See more help with \`esc ${this.id?.replaceAll(':', ' ') ?? ''} --help\``])
      if (this.debugEnabled && err.stack) process.stderr.write(`${err.stack}\n`)
      this.exit(ExitCode.Usage)
    }
    this.printError(err.message ?? String(err))
    if (this.debugEnabled && err.stack) process.stderr.write(`${err.stack}\n`)
    this.exit(typeof err.exitCode === 'number' && err.exitCode !== 0 ? err.exitCode : ExitCode.Failure)
  }

  protected printError(message: string, suggestions: string[] = []): void {
    process.stderr.write(`Error: ${message}\n`)
    for (const s of suggestions) process.stderr.write(`  ${s}\n`)
  }
}

function missingIdError(name: string, envVar: string, article: string, ctx: EscContext): UsageError {
  const profile = ctx.profileName ?? 'default'
  return new UsageError(
    `Invalid value for '--${name} <${name}>': Not provided and you don't have ${article} property set in the [context] section of your settings.toml file`,
    {suggestions: [`Pass --${name} <id>, set ${envVar}, or run \`esc profiles set -p ${profile} -n ${name} -v <id>\``]},
  )
}

/** oclif's "The following error occurred:\n  Missing required flag x\nSee more help…" as one line. */
function parseErrorSummary(message: string): string {
  const lines = message.split('\n').map((l) => l.trim()).filter((l) => l && !/^The following errors? occurred:?$/i.test(l) && !/^See more help/i.test(l))
  return lines.join('; ') || message.split('\n')[0]
}

function isParseError(err: Errors.CLIError): boolean {
  const name = err.constructor?.name ?? ''
  return /Flag|Arg|Parse|Required|Unexpected|Nonexistent|Validation/i.test(name) || err.oclif?.exit === 2
}
