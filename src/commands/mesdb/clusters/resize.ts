import {Flags} from '@oclif/core'

import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {changeCluster} from '../../../lib/cli/wait/cluster.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'

export default class ClustersResize extends CloudCommand {
  static override description = `Resize a cluster

Changes the instance type. The cluster shows 'resizing' meanwhile and is locked: backups wait until
it is available again.`
  static override examples = ['<%= config.bin %> mesdb clusters resize -i c1mnqjdo0aembuk4ljo0 --target-size C4 --wait']

  static override flags = {
    'org-id': orgFlag('The organization id the cluster relates to'),
    'project-id': projectFlag('The project id the cluster relates to'),
    id: idFlag('Id of the cluster you want to resize'),
    'target-size': Flags.string({description: 'The target instance size. (C4, M8, etc)', required: true}),
    ...waitFlags('the cluster is available again'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersResize)
    const timing = waitTiming(flags, this.clocks.wait)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    await changeCluster(
      api,
      await this.output(flags),
      {orgId, projectId, id: flags.id},
      () => api.clusterCommand(orgId, projectId, flags.id, 'resize', {targetSize: flags['target-size']}),
      {wait: flags.wait, timing},
    )
  }
}
