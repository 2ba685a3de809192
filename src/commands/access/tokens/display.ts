import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'
import {ExitCode} from '../../../lib/cli/error-exit.js'

export default class AccessTokensDisplay extends CloudCommand {
  static override description = 'Display your current refresh token'
  static override examples = ['<%= config.bin %> access tokens display']

  async run(): Promise<void> {
    const {flags} = await this.parse(AccessTokensDisplay)
    const {openTokenStore} = await import('../../../lib/client/auth/token-store.js')
    const ctx = await this.context(flags)
    const debug = this.debugLog('auth: ')
    const loaded = await openTokenStore(ctx.configDir, ctx.audience, {debug}).load()
    const refresh = loaded?.token.refresh_token
    if (!refresh) {
      process.stdout.write('No active refresh token\n')
      this.exit(ExitCode.EscLegacy)
    }
    process.stdout.write(`${refresh}\n`)
  }
}
