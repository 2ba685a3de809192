import {CloudCommand, idFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {networkKind} from '../../../lib/cli/output/infra.js'

export default class NetworksGet extends CloudCommand {
  static override description = 'Read a network information'
  static override examples = ['<%= config.bin %> infra networks get --id c0net1']

  static override flags = {...infraFlags('network', 'one'), id: idFlag("A network's id"), quiet: quietFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(NetworksGet)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.getNetwork(orgId, projectId, flags.id)
    await (await this.output(flags)).item(networkKind, res.data.network, res)
  }
}
