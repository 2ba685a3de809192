import {Flags} from '@oclif/core'

import {CloudCommand, idFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'

export default class NetworksUpdate extends CloudCommand {
  static override description = 'Update network'
  static override examples = ['<%= config.bin %> infra networks update --id c0net1 --description "Restore tests"']

  static override flags = {
    ...infraFlags('network', 'one'),
    id: idFlag("A network's id"),
    description: Flags.string({description: "A human-readable network's description", required: true}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(NetworksUpdate)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.updateNetwork(orgId, projectId, flags.id, flags.description)
    await (await this.output(flags)).done(res)
  }
}
