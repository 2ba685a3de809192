import {Flags} from '@oclif/core'

import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {changeCluster} from '../../../lib/cli/wait/cluster.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'

export default class ClustersExpand extends CloudCommand {
  static override description = `Expand a cluster

Grows the cluster's disk; a disk is never shrunk. The cluster shows 'expanding disks' meanwhile and is
locked: backups wait until it is available again.`
  static override examples = ['<%= config.bin %> mesdb clusters expand -i c1mnqjdo0aembuk4ljo0 --disk-size-in-gb 20 --wait']

  static override flags = {
    'org-id': orgFlag('The organization id the cluster relates to'),
    'project-id': projectFlag('The project id the cluster relates to'),
    id: idFlag('Id of the cluster you want to expand'),
    'disk-size-in-gb': Flags.integer({description: 'Disk size in GB', required: true, min: 1}),
    'disk-iops': Flags.integer({description: 'IOPS number for disk (only AWS)', min: 1}),
    'disk-throughput': Flags.integer({description: 'Throughput in Mb/s for disk (only AWS)', min: 1}),
    'disk-type': Flags.string({description: 'Optional disk type'}),
    ...waitFlags('the cluster is available again'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersExpand)
    const timing = waitTiming(flags, this.clocks.wait)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    // Key order as the official CLI serializes it.
    const body = {
      diskSizeGb: flags['disk-size-in-gb'],
      diskIops: flags['disk-iops'],
      diskThroughput: flags['disk-throughput'],
      diskType: flags['disk-type'],
    }
    await changeCluster(
      api,
      await this.output(flags),
      {orgId, projectId, id: flags.id},
      () => api.expandCluster(orgId, projectId, flags.id, body),
      {wait: flags.wait, timing},
    )
  }
}
