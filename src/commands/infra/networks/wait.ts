import {Flags} from '@oclif/core'

import {CloudCommand, idFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {awaitNetworkAvailable, awaitNetworkGone, NETWORK_WAIT_TARGETS} from '../../../lib/cli/infra/network-wait.js'
import {waitTiming, waitTimingFlags} from '../../../lib/cli/wait/flags.js'

export default class NetworksWait extends CloudCommand {
  static override description = `Wait until a network is available (after a create), or gone (after a delete)

Ours: the official esc has no such command. Progress goes to stderr, the available network to stdout
in the selected format. Exit codes: 0 done, 5 defunct (or, waiting for available, deleted), 4 timeout,
130 interrupted (the operation continues in the cloud).`
  static override examples = [
    '<%= config.bin %> infra networks wait -i c0net1 --timeout 30m',
    '<%= config.bin %> infra networks wait -i c0net1 --until deleted',
  ]

  static override flags = {
    ...infraFlags('network', 'one'),
    id: idFlag("A network's id"),
    until: Flags.string({
      description: 'The status to wait for: available, or deleted (the network is gone) after a delete',
      options: [...NETWORK_WAIT_TARGETS],
      default: 'available',
    }),
    ...waitTimingFlags,
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(NetworksWait)
    const timing = waitTiming(flags, this.clocks.wait)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const target = {orgId, projectId, id: flags.id}
    if (flags.until === 'deleted') await awaitNetworkGone(api, target, timing)
    else await awaitNetworkAvailable(api, await this.output(flags), target, timing)
  }
}
