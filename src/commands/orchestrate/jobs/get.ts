import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {jobKind} from '../../../lib/cli/output/kinds.js'

export default class JobsGet extends CloudCommand {
  static override description = 'Get job information'
  static override examples = ['<%= config.bin %> orchestrate jobs get --id c1jobjobjob0aeu6ojco']

  static override flags = {
    'org-id': orgFlag('The organization id the job relates to'),
    'project-id': projectFlag('The project id the job relates to'),
    id: idFlag("Job's id"),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(JobsGet)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.getJob(orgId, projectId, flags.id)
    await (await this.output(flags)).item(jobKind, res.data.job, res)
  }
}
