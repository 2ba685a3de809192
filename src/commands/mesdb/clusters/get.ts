import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {clusterKind} from '../../../lib/cli/output/kinds.js'

export default class ClustersGet extends CloudCommand {
  static override description = 'Get information about a single cluster'
  static override examples = ['<%= config.bin %> mesdb clusters get --id c1mnqjdo0aembuk4ljo0 --project-id c10d0h2rh41lba1v92k0 --json']

  static override flags = {
    'org-id': orgFlag('The organization id the cluster relates to'),
    'project-id': projectFlag('The project id the cluster relates to'),
    id: idFlag("Cluster's id"),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersGet)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.getCluster(orgId, projectId, flags.id)
    await (await this.output(flags)).item(clusterKind, res.data.cluster, res)
  }
}
