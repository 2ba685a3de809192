import {Flags, Interfaces} from '@oclif/core'

import type {ApiClient} from '../client/api/client.js'
import type {EscContext} from '../client/config/context.js'
import {UsageError} from '../core/errors.js'
import {BaseCommand, commonFlags} from './base-command.js'
import {OUTPUT_FORMATS, resolveFormat} from './output/format.js'
import {Printer} from './output/printer.js'

/**
 * The global flags of esc's cloud commands. esc defines these on its root with `global = true`;
 * oclif has no global flags, so each cloud command inherits them from here. bin/global-flags.js
 * moves them when typed before the command (test/bin/global-flags.test.ts keeps the two in step).
 */
export const globalFlags = {
  ...commonFlags,
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
  'no-truncate': Flags.boolean({
    description: 'Show long table cells whole instead of fitting the table to the terminal',
    helpGroup: 'GLOBAL',
  }),
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

/** The flags the helpers below read; every cloud command's parsed flags fit. */
export type CommandFlags = Partial<GlobalFlags> & {'org-id'?: string; 'project-id'?: string; quiet?: boolean}

/**
 * The base of the commands of the Kurrent Cloud API (mesdb, orchestrate, access, profiles): esc's
 * global flags, the resolved context (profile, org, project, API URL), the API client and the
 * output printer (esc's --json and --fmt formats, which these commands print themselves).
 */
export abstract class CloudCommand extends BaseCommand {
  static override baseFlags = globalFlags

  private cachedContext?: EscContext
  private client?: Promise<ApiClient>

  /** Profile/env/flag resolution, once per run. */
  protected async context(flags: CommandFlags): Promise<EscContext> {
    if (!this.cachedContext) {
      const {resolveContext} = await import('../client/config/context.js')
      this.cachedContext = await resolveContext({
        profile: flags.profile,
        'api-url': flags['api-url'],
        'org-id': flags['org-id'],
        'project-id': flags['project-id'],
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
      // Only a terminal has a width to fit; a pipe or file gets whole cells.
      const width = process.stdout.isTTY && !flags['no-truncate'] ? process.stdout.columns : undefined
      this.printer = new Printer(format, {quiet: flags.quiet, now: () => new Date(this.clocks.wait.now()), width})
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
      refreshToken: flags['refresh-token'],
      noninteractive: flags.noninteractive,
      debug: this.debugEnabled,
    })
    return new ApiClient({
      baseUrl: ctx.apiUrl,
      tokens,
      userAgent: `esc/${this.config.version} node/${process.version}`,
      debug: this.debugLog(),
      ...(ctx.profileName === undefined ? {} : {profileName: ctx.profileName}),
      ...(this.clocks.retrySleep ? {sleep: this.clocks.retrySleep} : {}),
    })
  }
}

function missingIdError(name: string, envVar: string, article: string, ctx: EscContext): UsageError {
  const profile = ctx.profileName ?? 'default'
  return new UsageError(
    `Invalid value for '--${name} <${name}>': Not provided and you don't have ${article} property set in the [context] section of your settings.toml file`,
    {suggestions: [`Pass --${name} <id>, set ${envVar}, or run \`esc profiles set -p ${profile} -n ${name} -v <id>\``]},
  )
}
