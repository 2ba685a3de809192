import {IntegrationsCommand, integrationFlags, integrationIdFlag, quietFlag} from '../../lib/cli/integrations/command.js'
import {deliveryKind, deliveryViews} from '../../lib/cli/output/integrations.js'

export default class IntegrationsDeliveries extends IntegrationsCommand {
  static override description =
    'Lists the attempts to deliver notifications to an integration: time, HTTP status, error, next try (ours: the official esc has no such command)'
  static override examples = ['<%= config.bin %> integrations deliveries --integration-id c0int1 --fmt table']

  static override flags = {...integrationFlags, 'integration-id': integrationIdFlag, quiet: quietFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(IntegrationsDeliveries)
    const {api, orgId, projectId} = await this.target(flags)
    const res = await api.listDeliveries(orgId, projectId, flags['integration-id'])
    const items = res.data.deliveries
    await (await this.output(this.toCloudFlags(flags))).wrapped(deliveryKind, items, deliveryViews.list(items), res, 'list')
  }
}
