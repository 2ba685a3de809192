import {Flags} from '@oclif/core'

import type {Prompter} from '../../../lib/client/auth/prompt.js'
import {CreateIntegrationCommand, createFlags, readWebhookSecret} from '../../../lib/cli/integrations/create.js'

export default class CreateWebhook extends CreateIntegrationCommand {
  static override description = `Creates a new integration that POSTs each notification as JSON to a URL (ours: the official esc has no webhook sink)

The body is signed with HMAC-SHA256 keyed with the secret, over "<timestamp>.<body>", in the header X-Esc-Signature: t=<timestamp>,v1=<hex>. The secret is read from --secret-file, or typed at a hidden prompt on a terminal (an empty answer sends unsigned messages); without a terminal, --secret-file is required.`
  // The official esc's syntax: the flags of `create` come before the sink's word.
  static override usage =
    'integrations create [--organization-id <value>] [--project-id <value>] --description <value> webhook --url <value> [--secret-file <value>] [--source <value>] [--notify-success]'
  static override examples = [
    '<%= config.bin %> integrations create --description Hook webhook --url https://hooks.example.com/esc --secret-file ./webhook-secret',
  ]

  static override flags = {
    ...createFlags,
    url: Flags.string({description: 'http(s) URL the notifications are POSTed to', required: true}),
    'secret-file': Flags.string({description: 'File holding the signing secret (prompted for on a terminal when absent)'}),
    source: Flags.string({description: 'Integration source'}),
    'notify-success': Flags.boolean({description: 'Also send successful backups'}),
  }

  /** Whether a person can be asked for the secret (tests stand in a terminal). */
  protected stdinIsTTY(): boolean {
    return Boolean(process.stdin.isTTY)
  }

  /** Hidden input on the terminal, prompts on stderr (tests stand in their own). */
  protected async prompter(): Promise<Prompter> {
    const {terminalPrompter} = await import('../../../lib/client/auth/prompt.js')
    return terminalPrompter()
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(CreateWebhook)
    if (!/^https?:\/\//.test(flags.url)) {
      const {UsageError} = await import('../../../lib/core/errors.js')
      throw new UsageError(`--url ${flags.url} is not an http(s) URL: pass one like https://hooks.example.com/esc`)
    }
    const canAsk = this.stdinIsTTY() && !flags.noninteractive
    const why = flags.noninteractive ? '--noninteractive never prompts' : 'stdin is not a terminal to ask for it'
    const secret = await readWebhookSecret(flags['secret-file'], canAsk ? await this.prompter() : undefined, why)
    await this.create(flags, {
      sink: 'webhook',
      url: flags.url,
      ...(secret === undefined ? {} : {secret}),
      ...(flags.source === undefined ? {} : {source: flags.source}),
      ...(flags['notify-success'] ? {notifySuccess: true} : {}),
    })
  }
}
