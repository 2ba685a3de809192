import {Flags} from '@oclif/core'

import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {createPeering} from '../../../lib/cli/infra/peering-create.js'

export default class PeeringsCreate extends CloudCommand {
  static override description = `Create a peering

Prints nothing on success (the id with -q). When the cloud answers that the provider's side needs
configuration, prints the commands to run there. The local cloud has no provider to peer with.`
  static override examples = [
    '<%= config.bin %> infra peerings create --network-id c0net1 --peer-account-id 123456789012 --peer-network-id vpc-0abc --peer-network-region us-west-2 --description peer --routes 10.20.0.0/16',
  ]

  static override flags = {
    ...infraFlags('peering', 'create'),
    'network-id': Flags.string({description: 'The network id the peering will relate to', default: ''}),
    'peer-account-id': Flags.string({description: 'Your cloud provider account id', required: true}),
    'peer-network-id': Flags.string({description: 'Your cloud provider network id', required: true}),
    'peer-network-region': Flags.string({description: 'Your cloud provider network region', required: true}),
    description: Flags.string({description: 'Human-readable description for your peering', required: true}),
    routes: Flags.string({description: 'Your network routes', multiple: true}),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(PeeringsCreate)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    await createPeering(
      api,
      await this.output(flags),
      {orgId, projectId, json: flags.json ?? false},
      {
        networkId: flags['network-id'],
        description: flags.description,
        peerAccountId: flags['peer-account-id'],
        peerNetworkId: flags['peer-network-id'],
        peerNetworkRegion: flags['peer-network-region'],
        routes: flags.routes ?? [],
      },
    )
  }
}
