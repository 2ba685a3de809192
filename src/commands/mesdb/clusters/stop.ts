import {ClusterChangeCommand, clusterChangeFlags} from '../../../lib/cli/clusters/change-command.js'

export default class ClustersStop extends ClusterChangeCommand {
  static override description = `Stops a cluster

The cluster shows 'stopping', then 'stopped'; a stopped cluster cannot be backed up until it is started.`
  static override examples = ['<%= config.bin %> mesdb clusters stop -i c1mnqjdo0aembuk4ljo0 --wait']

  static override flags = clusterChangeFlags('stop', 'the cluster is stopped')

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersStop)
    await this.sendChange(flags, (api, c) => api.clusterCommand(c.orgId, c.projectId, c.id, 'stop'), 'stopped')
  }
}
