import {Flags} from '@oclif/core'

import {ClusterChangeCommand, clusterChangeFlags} from '../../../lib/cli/clusters/change-command.js'

export default class ClustersResize extends ClusterChangeCommand {
  static override description = `Resize a cluster

Changes the instance type. The cluster shows 'resizing' meanwhile and is locked: backups wait until
it is available again.`
  static override examples = ['<%= config.bin %> mesdb clusters resize -i c1mnqjdo0aembuk4ljo0 --target-size C4 --wait']

  static override flags = clusterChangeFlags('resize', 'the cluster is available again', {
    'target-size': Flags.string({description: 'The target instance size. (C4, M8, etc)', required: true}),
  })

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersResize)
    await this.sendChange(flags, (api, c) => api.clusterCommand(c.orgId, c.projectId, c.id, 'resize', {targetSize: flags['target-size']}))
  }
}
