import {Command, Errors, Flags, Interfaces} from '@oclif/core'

import {EscError, ExitCode} from './errors.js'

/**
 * Flags every esc command accepts. esc defines these on its root with `global = true`; oclif has
 * no global flags, so each command inherits them from here.
 */
export const globalFlags = {
  debug: Flags.boolean({description: 'Prints a verbose output during the program execution', helpGroup: 'GLOBAL'}),
  json: Flags.boolean({description: 'Renders the classic ESC output as JSON (some differences from API)', helpGroup: 'GLOBAL'}),
  fmt: Flags.string({
    description: 'Selects the output format',
    options: ['cli', 'cli-json', 'api', 'api-verbose', 'table'],
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

/**
 * The base of every esc command: shared flags and one place that turns errors into a one-line
 * message and a documented exit code.
 */
export abstract class BaseCommand extends Command {
  static override baseFlags = globalFlags

  protected debugEnabled = false

  public override async init(): Promise<void> {
    this.debugEnabled = this.argv.includes('--debug') || process.env.ESC_DEBUG === '1'
    await super.init()
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
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
      this.printError(err.message.split('\n')[0], [`See more help with \`esc ${this.id?.replaceAll(':', ' ') ?? ''} --help\``])
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

function isParseError(err: Errors.CLIError): boolean {
  const name = err.constructor?.name ?? ''
  return /Flag|Arg|Parse|Required|Unexpected|Nonexistent|Validation/i.test(name) || err.oclif?.exit === 2
}
