import {Flags} from '@oclif/core'

import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {networkCidr} from '../../../lib/cli/infra/cidr.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {awaitNetworkAvailable} from '../../../lib/cli/infra/network-wait.js'
import {networkIdKind} from '../../../lib/cli/output/infra.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'
import {NETWORK_PROVIDERS} from '../../../lib/contract/infra.js'

export default class NetworksCreate extends CloudCommand {
  static override description = `Create a network

A network is provisioning before it is available; --wait polls until it is available and prints it.`
  static override examples = [
    '<%= config.bin %> infra networks create --provider aws --region us-west-2 --cidr-block 172.21.0.0/16 --description "My network" --wait',
  ]

  static override flags = {
    ...infraFlags('network', 'create'),
    provider: Flags.string({description: 'The cloud provider: aws, gcp or azure', required: true, options: [...NETWORK_PROVIDERS]}),
    region: Flags.string({description: 'Cloud provider region', required: true}),
    'cidr-block': Flags.string({description: 'Classless Inter-Domain Routing block (CIDR)'}),
    description: Flags.string({description: 'Human-readable description of the network', required: true}),
    'public-access': Flags.boolean({
      description:
        'Networks with public access enabled can have clusters with public access enabled, whereas networks without can only be accessed via peering. Defaults to false.',
    }),
    ...waitFlags('the network is available'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(NetworksCreate)
    const timing = waitTiming(flags, this.clocks.wait, {wait: flags.wait})
    const cidrBlock = flags['cidr-block'] === undefined ? undefined : networkCidr(flags['cidr-block'])
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const printer = await this.output(flags)
    const res = await api.infra.createNetwork(orgId, projectId, {
      ...(cidrBlock === undefined ? {} : {cidrBlock}),
      description: flags.description,
      provider: flags.provider as (typeof NETWORK_PROVIDERS)[number],
      publicAccess: flags['public-access'] ?? false,
      region: flags.region,
    })
    if (!flags.wait) return printer.created(networkIdKind, res)
    await awaitNetworkAvailable(api, printer, {orgId, projectId, id: res.data.id}, timing)
  }
}
