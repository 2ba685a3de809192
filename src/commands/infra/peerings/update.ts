import {Flags} from '@oclif/core'

import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'

export default class PeeringsUpdate extends CloudCommand {
  static override description = 'Update a peering'
  static override examples = ['<%= config.bin %> infra peerings update --id c0peer1 --description "VPC of the test account"']

  static override flags = {
    ...infraFlags('peering', 'one'),
    id: Flags.string({char: 'i', description: "The peering's id", required: true}),
    description: Flags.string({description: 'A human-readable description for your peering', required: true}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(PeeringsUpdate)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.updatePeering(orgId, projectId, flags.id, flags.description)
    await (await this.output(flags)).done(res)
  }
}
