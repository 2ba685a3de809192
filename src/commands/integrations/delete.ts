import {IntegrationsCommand, integrationFlags, integrationIdFlag} from '../../lib/cli/integrations/command.js'

export default class IntegrationsDelete extends IntegrationsCommand {
  static override description = 'deletes a integration'
  static override examples = ['<%= config.bin %> integrations delete --integration-id c0int1']

  static override flags = {...integrationFlags, 'integration-id': integrationIdFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(IntegrationsDelete)
    const {api, orgId, projectId} = await this.target(flags)
    const res = await api.deleteIntegration(orgId, projectId, flags['integration-id'])
    await (await this.output(this.toCloudFlags(flags))).done(res)
  }
}
