import {Flags} from '@oclif/core'

import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'

export default class PeeringsDelete extends CloudCommand {
  static override description = 'Delete a peering'
  static override examples = ['<%= config.bin %> infra peerings delete --id c0peer1']

  static override flags = {
    ...infraFlags('peering', 'one'),
    id: Flags.string({char: 'i', description: "The peering's id", required: true}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(PeeringsDelete)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.deletePeering(orgId, projectId, flags.id)
    await (await this.output(flags)).done(res)
  }
}
