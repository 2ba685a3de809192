import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {changeCluster} from '../../../lib/cli/wait/cluster.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'

export default class ClustersStart extends CloudCommand {
  static override description = `Starts a cluster

The cluster shows 'starting', then 'available'.`
  static override examples = ['<%= config.bin %> mesdb clusters start -i c1mnqjdo0aembuk4ljo0 --wait']

  static override flags = {
    'org-id': orgFlag('The organization id the cluster relates to'),
    'project-id': projectFlag('The project id the cluster relates to'),
    id: idFlag('Id of the cluster you want to start'),
    ...waitFlags('the cluster is available'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersStart)
    const timing = waitTiming(flags, this.clocks.wait)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    await changeCluster(
      api,
      await this.output(flags),
      {orgId, projectId, id: flags.id},
      () => api.clusterCommand(orgId, projectId, flags.id, 'start'),
      {wait: flags.wait, timing, until: 'available'},
    )
  }
}
