import {Flags} from '@oclif/core'

import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {awaitCluster} from '../../../lib/cli/wait/cluster.js'
import {waitTiming, waitTimingFlags} from '../../../lib/cli/wait/flags.js'
import {CLUSTER_WAIT_TARGETS, type ClusterWaitTarget} from '../../../lib/cli/wait/operations.js'

export default class ClustersWait extends CloudCommand {
  static override description = `Wait until a cluster is available (e.g. after a create or a restore)

Progress goes to stderr, the cluster to stdout in the selected format. Exit codes: 0 available (or
the --until status),
5 defunct or deleted, 4 timeout, 130 interrupted (the operation continues in the cloud).`
  static override examples = ['<%= config.bin %> mesdb clusters wait -i c1mnqjdo0aembuk4ljo0 --timeout 30m']

  static override flags = {
    'org-id': orgFlag('The organization id the cluster relates to'),
    'project-id': projectFlag('The project id the cluster relates to'),
    id: idFlag("Cluster's id"),
    until: Flags.string({
      description: 'The status to wait for: available, or stopped after a stop',
      options: [...CLUSTER_WAIT_TARGETS],
      default: 'available',
    }),
    ...waitTimingFlags,
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersWait)
    const timing = waitTiming(flags, this.clocks.wait)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const printer = await this.output(flags)
    await awaitCluster(api, printer, orgId, projectId, flags.id, timing, flags.until as ClusterWaitTarget)
  }
}
