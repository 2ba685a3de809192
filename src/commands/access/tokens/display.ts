import {BaseCommand} from '../../../lib/base-command.js'
import {ExitCode} from '../../../lib/errors.js'

export default class AccessTokensDisplay extends BaseCommand {
  static override description = 'Display your current refresh token'
  static override examples = ['<%= config.bin %> access tokens display']

  async run(): Promise<void> {
    const {flags} = await this.parse(AccessTokensDisplay)
    const [{resolveContext}, {openTokenStore}] = await Promise.all([
      import('../../../lib/config/context.js'),
      import('../../../lib/auth/token-store.js'),
    ])
    const ctx = await resolveContext({profile: flags.profile, 'api-url': flags['api-url']})
    const debug = this.debugEnabled ? (line: string) => void process.stderr.write(`[debug] auth: ${line}\n`) : undefined
    const loaded = await openTokenStore(ctx.configDir, ctx.audience, {debug}).load()
    const refresh = loaded?.token.refresh_token
    if (!refresh) {
      process.stdout.write('No active refresh token\n')
      this.exit(ExitCode.EscLegacy)
    }
    process.stdout.write(`${refresh}\n`)
  }
}
