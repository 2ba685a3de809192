import {Flags} from '@oclif/core'

import {CloudCommand, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {historyItemKind} from '../../../lib/cli/output/kinds.js'

export default class HistoryList extends CloudCommand {
  static override description = `Show job history

In the API's order, as esc prints them (scripts may take the first line); the table sorts newest first. cli and --json keep esc's shapes, the api formats print the raw body.`
  static override examples = [
    '<%= config.bin %> orchestrate history list --job-id c1jobjobjob0aeu6ojco',
    '<%= config.bin %> orchestrate history list --fmt table',
  ]

  static override flags = {
    'org-id': orgFlag('The organization id the history relates to'),
    'project-id': projectFlag('The project id the history relates to'),
    'job-id': Flags.string({description: 'Only show the history of this job'}),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(HistoryList)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const printer = await this.output(flags)
    const res = await api.listHistory(orgId, projectId, flags['job-id'])
    // esc prints the API's order; only the table (for people) sorts.
    const items = printer.format === 'table' ? [...res.data.items].sort(newestFirst) : res.data.items
    await printer.list(historyItemKind, items, res)
  }
}

function newestFirst(a: {startTime: string}, b: {startTime: string}): number {
  const byTime = Date.parse(b.startTime) - Date.parse(a.startTime)
  return Number.isNaN(byTime) ? b.startTime.localeCompare(a.startTime) : byTime
}
