import {Flags} from '@oclif/core'

import {CreateIntegrationCommand, createFlags} from '../../../lib/cli/integrations/create.js'

export default class CreateSlack extends CreateIntegrationCommand {
  static override description = 'Creates a new integration that posts to a Slack channel'
  // The official esc's syntax: the flags of `create` come before the sink's word.
  static override usage =
    'integrations create [--organization-id <value>] [--project-id <value>] --description <value> slack --channel-id <value> --token <value> [--source <value>]'
  static override examples = [
    '<%= config.bin %> integrations create --description Alerts slack --channel-id C012AB3CD --token "$SLACK_BOT_TOKEN" --source notifications',
  ]

  static override flags = {
    ...createFlags,
    'channel-id': Flags.string({description: 'Slack Channel to send messages to', required: true}),
    token: Flags.string({description: 'API token for the Slack bot', required: true}),
    source: Flags.string({description: 'Integration source'}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(CreateSlack)
    const data = {
      sink: 'slack' as const,
      channelId: flags['channel-id'],
      token: flags.token,
      ...(flags.source === undefined ? {} : {source: flags.source}),
    }
    await this.create(flags, data)
  }
}
