import {CloudCommand, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {clusterKind} from '../../../lib/cli/output/kinds.js'

export default class ClustersList extends CloudCommand {
  static override description = 'List all clusters of an organization, given a project id'
  static override examples = ['<%= config.bin %> mesdb clusters list --project-id c10d0h2rh41lba1v92k0']

  static override flags = {
    'org-id': orgFlag('The organization id the clusters relate to'),
    'project-id': projectFlag('The project id the clusters relate to'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersList)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.listClusters(orgId, projectId)
    await (await this.output(flags)).list(clusterKind, res.data.clusters, res)
  }
}
