import {CloudCommand, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {jobTableKind, lastRunByJob} from '../../../lib/cli/output/job-table.js'
import {jobKind} from '../../../lib/cli/output/kinds.js'

export default class JobsList extends CloudCommand {
  static override description = `List all jobs of an organization, given a project id

With --fmt table, also shows each job's next run (UTC) and how its last run ended.`
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
    const printer = await this.output(flags)
    if (printer.format !== 'table' || printer.quiet || res.data.jobs.length === 0) {
      await printer.list(jobKind, res.data.jobs, res)
      return
    }
    // The table adds each job's last result, from one history listing; unreadable history shows `?`.
    const history = await api.listHistory(orgId, projectId).then(
      (h) => h.data.items,
      () => undefined,
    )
    await printer.list(jobTableKind(history && lastRunByJob(history)), res.data.jobs, res)
  }
}
