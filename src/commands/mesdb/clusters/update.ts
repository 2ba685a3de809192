import {Flags} from '@oclif/core'

import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {parseBoolFlag} from '../../../lib/cli/restore/cluster-request.js'
import {changeCluster} from '../../../lib/cli/wait/cluster.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'

export default class ClustersUpdate extends CloudCommand {
  static override description = `Update a cluster

Changes only what is given; with no flag an empty update is still sent. A protected cluster cannot be
deleted until it is updated with --protected false.`
  static override examples = ['<%= config.bin %> mesdb clusters update -i c1mnqjdo0aembuk4ljo0 --description "orders" --protected true']

  static override flags = {
    'org-id': orgFlag('The organization id the cluster relates to'),
    'project-id': projectFlag('The project id the cluster relates to'),
    id: idFlag('Id of the cluster you want to update'),
    'acl-id': Flags.string({description: 'The ACL id used by a cluster'}),
    description: Flags.string({description: 'A human-readable description of the cluster'}),
    protected: Flags.string({description: 'The protected flag prevents from accidental deletion', options: ['true', 'false']}),
    ...waitFlags('the cluster is available again'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersUpdate)
    const timing = waitTiming(flags, this.clocks.wait)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const body = {aclId: flags['acl-id'], description: flags.description, protected: parseBoolFlag(flags.protected)}
    await changeCluster(
      api,
      await this.output(flags),
      {orgId, projectId, id: flags.id},
      () => api.updateCluster(orgId, projectId, flags.id, body),
      {wait: flags.wait, timing},
    )
  }
}
