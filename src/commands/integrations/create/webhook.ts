import {Flags} from '@oclif/core'

import {CreateIntegrationCommand, createFlags, readWebhookSecret} from '../../../lib/cli/integrations/create.js'

export default class CreateWebhook extends CreateIntegrationCommand {
  static override description = `Creates a new integration that POSTs each notification as JSON to a URL (ours: the official esc has no webhook sink)

The body is signed with HMAC-SHA256 keyed with the secret, over "<timestamp>.<body>", in the header X-Esc-Signature: t=<timestamp>,v1=<hex>. The secret is read from --secret-file, or typed at a prompt on a terminal; without one the messages are unsigned.`
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

  public async run(): Promise<void> {
    const {flags} = await this.parse(CreateWebhook)
    if (!/^https?:\/\//.test(flags.url)) {
      const {UsageError} = await import('../../../lib/core/errors.js')
      throw new UsageError(`--url ${flags.url} is not an http(s) URL: pass one like https://hooks.example.com/esc`)
    }
    const interactive = Boolean(process.stdin.isTTY) && !flags.noninteractive
    const secret = await readWebhookSecret(flags['secret-file'], interactive)
    await this.create(flags, {
      sink: 'webhook',
      url: flags.url,
      ...(secret === undefined ? {} : {secret}),
      ...(flags.source === undefined ? {} : {source: flags.source}),
      ...(flags['notify-success'] ? {notifySuccess: true} : {}),
    })
  }
}
