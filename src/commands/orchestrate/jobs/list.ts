import {CloudCommand, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {jobKind} from '../../../lib/cli/output/kinds.js'

export default class JobsList extends CloudCommand {
  static override description = 'List all jobs of an organization, given a project id'
  static override examples = ['<%= config.bin %> orchestrate jobs list']

  static override flags = {
    'org-id': orgFlag('The organization id the jobs relate to'),
    'project-id': projectFlag('The project id the jobs relate to'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(JobsList)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.listJobs(orgId, projectId)
    await (await this.output(flags)).list(jobKind, res.data.jobs, res)
  }
}
