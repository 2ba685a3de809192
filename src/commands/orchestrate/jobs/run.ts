import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {historyItemKind, type IdKind} from '../../../lib/cli/output/kinds.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'
import {findRunItem, isRunDone, isRunFailed, RunMarker, runStatus} from '../../../lib/cli/wait/job-run.js'
import {awaitOperation} from '../../../lib/cli/wait/operations.js'

const historyIdKind: IdKind = {noun: 'job run', debugName: 'HistoryId'}
/** A finished run named by the backup it made (what `-q --wait` prints). */
const backupOfRunKind = {...historyItemKind, id: (item: {linkedResource: string}) => item.linkedResource}

export default class JobsRun extends CloudCommand {
  static override description = `Run a job now, outside its schedule

Prints the id of the run's history item. With --wait, follows that item until the run ends and
prints it (its linked resource is the backup the run made); exit 5 if the run failed.
With --wait -q, prints the id of that backup.`
  static override examples = ['<%= config.bin %> orchestrate jobs run -i c1jobjobjob0aeu6ojco --wait']

  static override flags = {
    'org-id': orgFlag('The organization id the job relates to'),
    'project-id': projectFlag('The project id the job relates to'),
    id: idFlag('Id of the job you want to run'),
    ...waitFlags('the run has ended'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(JobsRun)
    const timing = waitTiming(flags, this.clocks.wait, {wait: flags.wait})
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const printer = await this.output(flags)
    const jobId = flags.id
    // Remember the runs that already exist, to recognize ours if the API names no history id.
    const before = flags.wait ? new Set((await api.listHistory(orgId, projectId, jobId)).data.items.map((i) => i.id)) : new Set<string>()
    const started = await api.runJob(orgId, projectId, jobId)
    const historyId = started.data.historyId
    if (!flags.wait) {
      if (historyId) await printer.created(historyIdKind, {data: {id: historyId}, exchange: started.exchange})
      else if (printer.isApiFormat) printer.exchange(started.exchange)
      else
        process.stderr.write(
          `Started job ${jobId}; the API returned no history id (see \`esc orchestrate history list --job-id ${jobId}\`)\n`,
        )
      return
    }
    const marker: RunMarker = {historyId, before}
    const finished = await awaitOperation({
      label: `run of job ${jobId}`,
      reattach: `esc orchestrate history list --job-id ${jobId} --org-id ${orgId} --project-id ${projectId}`,
      ...timing,
      fetch: async () => {
        const res = await api.listHistory(orgId, projectId, jobId)
        return {res, item: findRunItem(res.data.items, marker)}
      },
      select: (poll) => poll.item,
      statusOf: runStatus,
      isDone: isRunDone,
      isFailed: isRunFailed,
      details: (item) => item?.details || undefined,
      print: async ({res, item}) => {
        // -q prints the id used next: the backup the run made (nothing when it made none).
        if (!printer.quiet) return printer.item(historyItemKind, item!, res)
        if (item?.linkedResource) await printer.item(backupOfRunKind, item, res)
      },
    })
    const linked = finished.item?.linkedResource
    if (linked) process.stderr.write(`${await describeLinkedBackup(() => api.getBackup(orgId, projectId, linked), linked)}\n`)
  }
}

/** One line about the backup a run made, or about its linked resource when that is not a backup we can read. */
async function describeLinkedBackup(get: () => Promise<{data: {backup: {status: string; sizeGb: number}}}>, id: string): Promise<string> {
  try {
    const {backup} = (await get()).data
    return `Backup ${id}: ${backup.status}, ${backup.sizeGb} GB (esc mesdb backups get -i ${id})`
  } catch {
    return `Linked resource: ${id}`
  }
}
