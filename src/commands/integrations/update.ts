import {Flags} from '@oclif/core'

import type {UpdateIntegrationRequest} from '../../lib/contract/integrations.js'
import {IntegrationsCommand, integrationFlags, integrationIdFlag} from '../../lib/cli/integrations/command.js'

export default class IntegrationsUpdate extends IntegrationsCommand {
  static override description = `updates a integration

Unlike the official esc, which accepts --api-key, --channel-id and --token but silently drops them (it sends only the description), this one sends them as "data".`
  static override examples = ['<%= config.bin %> integrations update --integration-id c0int1 --description "Backup alerts"']

  static override flags = {
    ...integrationFlags,
    'integration-id': integrationIdFlag,
    description: Flags.string({description: 'New description of the integration'}),
    'api-key': Flags.string({description: 'API key used with the Ops Genie integration API (sent, unlike the official esc)'}),
    'channel-id': Flags.string({description: 'Slack Channel to send messages to (sent, unlike the official esc)'}),
    token: Flags.string({description: 'API token for the Slack bot (sent, unlike the official esc)'}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(IntegrationsUpdate)
    const {api, orgId, projectId} = await this.target(flags)
    const data = {
      ...(flags['channel-id'] === undefined ? {} : {channelId: flags['channel-id']}),
      ...(flags.token === undefined ? {} : {token: flags.token}),
      ...(flags['api-key'] === undefined ? {} : {apiKey: flags['api-key']}),
    }
    const body: UpdateIntegrationRequest = {
      ...(Object.keys(data).length === 0 ? {} : {data}),
      ...(flags.description === undefined ? {} : {description: flags.description}),
    }
    const res = await api.updateIntegration(orgId, projectId, flags['integration-id'], body)
    await (await this.output(this.toCloudFlags(flags))).done(res)
  }
}
