import {ClusterChangeCommand, clusterChangeFlags} from '../../../lib/cli/clusters/change-command.js'

export default class ClustersStart extends ClusterChangeCommand {
  static override description = `Starts a cluster

The cluster shows 'starting', then 'available'.`
  static override examples = ['<%= config.bin %> mesdb clusters start -i c1mnqjdo0aembuk4ljo0 --wait']

  static override flags = clusterChangeFlags('start', 'the cluster is available')

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersStart)
    await this.sendChange(flags, (api, c) => api.clusterCommand(c.orgId, c.projectId, c.id, 'start'), 'available')
  }
}
