import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {peeringKind} from '../../../lib/cli/output/infra.js'

export default class PeeringsList extends CloudCommand {
  static override description = 'List all peering related an organization, given a project id'
  static override examples = ['<%= config.bin %> infra peerings list --project-id c10d0h2rh41lba1v92k0']

  static override flags = {...infraFlags('peering', 'list'), quiet: quietFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(PeeringsList)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.listPeerings(orgId, projectId)
    await (await this.output(flags)).list(peeringKind, res.data.peerings, res)
  }
}
