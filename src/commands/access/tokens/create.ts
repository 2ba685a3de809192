import {Flags} from '@oclif/core'

import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'
import {ExitCode} from '../../../lib/cli/error-exit.js'

export default class AccessTokensCreate extends CloudCommand {
  static override description = 'Create an access token (log in with your email and password; prints the refresh token)'
  static override examples = [
    '<%= config.bin %> access tokens create',
    '<%= config.bin %> access tokens create -e me@example.com',
    '<%= config.bin %> access tokens create --no-keychain',
  ]

  static override flags = {
    email: Flags.string({char: 'e', description: 'The email you used to create an EventStoreDB Cloud'}),
    'unsafe-password': Flags.string({description: "Set this parameter if you don't want to give your password safely (non-interactive)"}),
    keychain: Flags.boolean({
      default: true,
      allowNo: true,
      description: 'Store the token in the OS keychain when there is one; --no-keychain writes the token file the official esc reads',
    }),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(AccessTokensCreate)
    if (flags.noninteractive) {
      // esc refuses here even when --unsafe-password is given.
      process.stdout.write('--noninteractive mode set, cannot prompt for password\n')
      this.exit(ExitCode.EscLegacy)
    }
    const [{openTokenStore}, {passwordLogin}, {terminalPrompter}] = await Promise.all([
      import('../../../lib/client/auth/token-store.js'),
      import('../../../lib/client/auth/login.js'),
      import('../../../lib/client/auth/prompt.js'),
    ])
    const ctx = await this.context(flags)
    const debug = this.debugLog('auth: ')
    const token = await passwordLogin(ctx, {
      email: flags.email,
      password: flags['unsafe-password'],
      prompter: terminalPrompter(),
      store: openTokenStore(ctx.configDir, ctx.audience, {debug, fileOnly: !flags.keychain}),
      debug,
    })
    process.stdout.write(`${token.refresh_token}\n`)
  }
}
