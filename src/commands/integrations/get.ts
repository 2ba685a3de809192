import {IntegrationsCommand, integrationFlags, integrationIdFlag, quietFlag} from '../../lib/cli/integrations/command.js'
import {integrationKind, integrationViews} from '../../lib/cli/output/integrations.js'

export default class IntegrationsGet extends IntegrationsCommand {
  static override description = 'retrieves a integration'
  static override examples = ['<%= config.bin %> integrations get --integration-id c0int1']

  static override flags = {...integrationFlags, 'integration-id': integrationIdFlag, quiet: quietFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(IntegrationsGet)
    const {api, orgId, projectId} = await this.target(flags)
    const res = await api.getIntegration(orgId, projectId, flags['integration-id'])
    const item = res.data.integration
    await (await this.output(this.toCloudFlags(flags))).wrapped(integrationKind, [item], integrationViews.one(item), res, 'one')
  }
}
