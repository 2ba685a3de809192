import {CloudCommand, idFlag, orgFlag, projectFlag} from '../../../lib/cli/base-cloud-command.js'
import {jobsOfDeletedCluster} from '../../../lib/cli/jobs/cluster-jobs.js'

export default class ClustersDelete extends CloudCommand {
  static override description = `Delete a cluster

Afterwards, warns (stderr) about each active job that backs up the cluster: its runs will fail.`
  static override examples = ['<%= config.bin %> mesdb clusters delete --id c1mnqjdo0aembuk4ljo0 --project-id c10d0h2rh41lba1v92k0']

  static override flags = {
    'org-id': orgFlag('The organization id the cluster relates to'),
    'project-id': projectFlag('The project id the cluster relates to'),
    id: idFlag('Id of the cluster you want to delete'),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersDelete)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.deleteCluster(orgId, projectId, flags.id)
    await (await this.output(flags)).done(res)
    for (const line of await jobsOfDeletedCluster(api, orgId, projectId, flags.id)) process.stderr.write(`${line}\n`)
  }
}
