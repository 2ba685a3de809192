import {Flags} from '@oclif/core'

import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {peeringKind} from '../../../lib/cli/output/infra.js'

export default class PeeringsGet extends CloudCommand {
  static override description = 'Read a peering information'
  static override examples = ['<%= config.bin %> infra peerings get --id c0peer1']

  static override flags = {
    ...infraFlags('peering', 'one'),
    id: Flags.string({char: 'i', description: "The peering's id", required: true}),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(PeeringsGet)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.getPeering(orgId, projectId, flags.id)
    await (await this.output(flags)).item(peeringKind, res.data.peering, res)
  }
}
