import {Flags} from '@oclif/core'

import {ClusterChangeCommand, clusterChangeFlags} from '../../../lib/cli/clusters/change-command.js'

export default class ClustersUpgrade extends ClusterChangeCommand {
  static override description = `Upgrade a cluster

Changes the server version. The cluster shows 'upgrading' meanwhile and is locked: backups wait until
it is available again.`
  static override examples = ['<%= config.bin %> mesdb clusters upgrade -i c1mnqjdo0aembuk4ljo0 --target-tag 24.10.1 --wait']

  static override flags = clusterChangeFlags('upgrade', 'the cluster is available again', {
    'target-tag': Flags.string({
      description: 'The target tag you want to upgrade to. This must include the full version (23.10.1).',
      required: true,
    }),
  })

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersUpgrade)
    await this.sendChange(flags, (api, c) => api.clusterCommand(c.orgId, c.projectId, c.id, 'upgrade', {targetTag: flags['target-tag']}))
  }
}
