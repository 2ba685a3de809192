import {CloudCommand, idFlag, orgFlag, projectFlag} from '../../../lib/cli/base-cloud-command.js'

export default class JobsDelete extends CloudCommand {
  static override description = 'Delete a job'
  static override examples = ['<%= config.bin %> orchestrate jobs delete --id c1jobjobjob0aeu6ojco']

  static override flags = {
    'org-id': orgFlag('The organization id the job relates to'),
    'project-id': projectFlag('The project id the job relates to'),
    id: idFlag('Id of the job you want to delete'),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(JobsDelete)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.deleteJob(orgId, projectId, flags.id)
    await (await this.output(flags)).done(res)
  }
}
