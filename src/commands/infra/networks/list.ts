import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {networkKind} from '../../../lib/cli/output/infra.js'

export default class NetworksList extends CloudCommand {
  static override description = 'List networks of an organization, given a project'
  static override examples = ['<%= config.bin %> infra networks list --project-id c10d0h2rh41lba1v92k0']

  static override flags = {...infraFlags('network', 'list'), quiet: quietFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(NetworksList)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.listNetworks(orgId, projectId)
    await (await this.output(flags)).list(networkKind, res.data.networks, res)
  }
}
