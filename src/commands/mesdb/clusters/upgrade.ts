import {Flags} from '@oclif/core'

import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {changeCluster} from '../../../lib/cli/wait/cluster.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'

export default class ClustersUpgrade extends CloudCommand {
  static override description = `Upgrade a cluster

Changes the server version. The cluster shows 'upgrading' meanwhile and is locked: backups wait until
it is available again.`
  static override examples = ['<%= config.bin %> mesdb clusters upgrade -i c1mnqjdo0aembuk4ljo0 --target-tag 24.10.1 --wait']

  static override flags = {
    'org-id': orgFlag('The organization id the cluster relates to'),
    'project-id': projectFlag('The project id the cluster relates to'),
    id: idFlag('Id of the cluster you want to upgrade'),
    'target-tag': Flags.string({
      description: 'The target tag you want to upgrade to. This must include the full version (23.10.1).',
      required: true,
    }),
    ...waitFlags('the cluster is available again'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersUpgrade)
    const timing = waitTiming(flags, this.clocks.wait)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    await changeCluster(
      api,
      await this.output(flags),
      {orgId, projectId, id: flags.id},
      () => api.clusterCommand(orgId, projectId, flags.id, 'upgrade', {targetTag: flags['target-tag']}),
      {wait: flags.wait, timing},
    )
  }
}
