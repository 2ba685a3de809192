import {IntegrationsCommand, integrationFlags, quietFlag} from '../../lib/cli/integrations/command.js'
import {integrationKind, integrationViews} from '../../lib/cli/output/integrations.js'

export default class IntegrationsList extends IntegrationsCommand {
  static override description = 'list all integrations'
  static override examples = [
    '<%= config.bin %> integrations list --organization-id bt77lfqrh41scaatc180 --project-id c10d0h2rh41lba1v92k0',
  ]

  static override flags = {...integrationFlags, quiet: quietFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(IntegrationsList)
    const {api, orgId, projectId} = await this.target(flags)
    const res = await api.listIntegrations(orgId, projectId)
    const items = res.data.integrations
    await (await this.output(this.toCloudFlags(flags))).wrapped(integrationKind, items, integrationViews.list(items), res, 'list')
  }
}
