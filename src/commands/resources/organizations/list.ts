import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {organizationKind} from '../../../lib/cli/output/resources.js'

export default class OrganizationsList extends CloudCommand {
  static override description = 'List organizations'
  static override examples = ['<%= config.bin %> resources organizations list']

  static override flags = {quiet: quietFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(OrganizationsList)
    const res = await (await this.apiClient(flags)).resources.listOrganizations()
    await (await this.output(flags)).list(organizationKind, res.data.organizations, res)
  }
}
