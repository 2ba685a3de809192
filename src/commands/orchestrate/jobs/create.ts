import {Flags, Interfaces} from '@oclif/core'

import type {CreateJobRequest} from '../../../lib/contract/models.js'
import {jobsPath} from '../../../lib/client/api/client.js'
import {CloudCommand, globalFlags, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {nonBlankFlag} from '../../../lib/cli/base-flags.js'
import {UsageError} from '../../../lib/core/errors.js'
import {validateLabelTemplate} from '../../../lib/contract/labels/parse.js'
import {checkScheduleClashes} from '../../../lib/cli/jobs/schedule-clash.js'
import {jobIdKind} from '../../../lib/cli/output/kinds.js'
import {printDryRun} from '../../../lib/cli/restore/dry-run.js'
import {FlagShape, splitJobArgv} from '../../../lib/contract/schedule/job-argv.js'
import {formatRunTime, nextRuns} from '../../../lib/contract/schedule/next-runs.js'
import {validateSchedule} from '../../../lib/contract/schedule/validate.js'

const jobFlags = {
  'org-id': orgFlag('The organization id the job will relate to'),
  'project-id': projectFlag('The project id the job will relate to'),
  description: nonBlankFlag({description: 'A human-readable description of the job', fix: 'give the job a description'}),
  schedule: Flags.string({description: "The schedule in semi-cron format, e.g. '0 */1 * * *' (UTC, at most hourly)", required: true}),
}

/** Flags of this CLI (not esc's), accepted on either side of `scheduled-backup`, like the global ones. */
const eitherSideFlags = {
  ...globalFlags,
  'dry-run': Flags.boolean({description: 'Print the request and the next 5 runs instead of sending it'}),
  quiet: quietFlag,
}

/** The flags of the `scheduled-backup` job type (after the token). */
const scheduledBackupFlags = {
  description: Flags.string({char: 'd', description: 'Description to give each backup'}),
  'max-backup-count': Flags.integer({char: 'm', description: 'Max number of backups to keep', min: 1}),
  'cluster-id': Flags.string({char: 'c', description: 'Id of the cluster you want to backup'}),
}

function shapeOf(flags: Interfaces.FlagInput): FlagShape {
  return Object.fromEntries(Object.entries(flags).map(([name, f]) => [name, {type: f.type, char: f.char}]))
}

/** The job's flags without `required`: missing ones get a message saying at which level they go. */
const jobFlagsOptional = Object.fromEntries(Object.entries(jobFlags).map(([name, f]) => [name, {...f, required: false}])) as typeof jobFlags

export default class JobsCreate extends CloudCommand {
  static override description = `Create a job

Like esc, the command has two levels of flags: the job's flags come first
(--org-id, --project-id, --description, --schedule), then the job type
\`scheduled-backup\` and its own flags:

SCHEDULED-BACKUP FLAGS (all required)
  -d, --description=<value>       Description to give each backup
  -m, --max-backup-count=<value>  Max number of backups to keep
  -c, --cluster-id=<value>        Id of the cluster you want to backup

The backup description is a label template, rendered by the service at each
run: {index[:decimal|hex]}, {cluster[:description|id|provider]} and
{datetime[:utc|rfc822|unix|json|rfc3339]}; <token:format> works too. Other
brackets are plain text; {{ and }} stand for literal braces.

The schedule is checked before sending: 5 fields; minute and hour are *, a
number or */n; day of month and month are *; day of week is * or 0-7; and
runs must be at least 60 minutes apart (times are UTC). A warning (stderr)
names any other job on the same cluster that fires at the same minute: runs
that start together fail on the cluster lock.`

  static override usage = [
    'orchestrate jobs create [--org-id <value>] [--project-id <value>] --description <value> --schedule <value> ' +
      'scheduled-backup -d <value> -m <value> -c <value>',
  ]

  static override examples = [
    `<%= config.bin %> orchestrate jobs create --description 'My Hourly Backup' --schedule '0 */1 * * *' scheduled-backup \\
    --description '{cluster} Hourly Backup {datetime:RFC3339}' --max-backup-count 2 --cluster-id c196ogto0aeqohe3ommq`,
  ]

  static override strict = false
  static override flags = {...jobFlags, 'dry-run': eitherSideFlags['dry-run'], quiet: quietFlag}

  public async run(): Promise<void> {
    const split = splitJobArgv(this.argv, {
      parent: shapeOf(jobFlags),
      child: shapeOf(scheduledBackupFlags),
      global: shapeOf(eitherSideFlags),
    })
    const parent = await this.parse({flags: jobFlagsOptional, baseFlags: eitherSideFlags, args: {}, strict: true}, split.parentArgv)
    const child = await this.parse({flags: scheduledBackupFlags, baseFlags: eitherSideFlags, args: {}, strict: true}, split.childArgv)
    const flags = mergeGlobals(parent.flags, child.flags)
    const body = jobRequest(parent.flags, child.flags)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const printer = await this.output(flags)
    if (flags['dry-run']) {
      const runs = nextRuns(body.schedule, 5, new Date(this.clocks.wait.now()))
      const notes: Array<[string, string[]]> = [['Next 5 runs', runs.map((r) => formatRunTime(r))]]
      printDryRun({method: 'POST', path: jobsPath(orgId, projectId), body, notes}, printer.format)
      return
    }
    const api = await this.apiClient(flags)
    const job = {clusterId: body.data.clusterId, schedule: body.schedule}
    for (const line of await checkScheduleClashes(api, orgId, projectId, job, new Date(this.clocks.wait.now()))) {
      process.stderr.write(`${line}\n`)
    }
    const res = await api.createJob(orgId, projectId, body)
    await printer.created(jobIdKind, res)
  }
}

type Parsed = Record<string, unknown>

/** Global flags (--fmt, --json, --dry-run…) may come on either side of `scheduled-backup`; the job's side wins. */
function mergeGlobals<P extends Parsed>(parent: P, child: Parsed): P {
  const merged: Parsed = {...parent}
  for (const name of Object.keys(eitherSideFlags)) {
    if (merged[name] === undefined && child[name] !== undefined) merged[name] = child[name]
  }
  return merged as P
}

/** Checks both levels (saying where a missing flag goes) and builds the body in the Rust esc's key order (its request struct's field order). */
function jobRequest(job: Parsed, backup: Parsed): CreateJobRequest {
  const missing = (flag: string, where: string, what: string) =>
    new UsageError(`Missing ${flag} ${where} \`scheduled-backup\`: ${what}`, {
      suggestions: ['See `esc orchestrate jobs create --help`'],
    })
  if (job.description === undefined) {
    throw missing('--description', 'before', "the job's description (the one after scheduled-backup describes each backup)")
  }
  if (job.schedule === undefined) throw missing('--schedule', 'before', "the job's schedule, e.g. '0 */1 * * *'")
  if (backup.description === undefined) {
    throw missing('-d/--description', 'after', "each backup's description, e.g. '{cluster} Hourly Backup {datetime:RFC3339}'")
  }
  if (backup['max-backup-count'] === undefined) throw missing('-m/--max-backup-count', 'after', 'how many backups to keep')
  if (backup['cluster-id'] === undefined) throw missing('-c/--cluster-id', 'after', 'the id of the cluster to back up')
  validateSchedule(String(job.schedule))
  // Validated here, sent unrendered: the service renders the template at each run.
  validateLabelTemplate(String(backup.description))
  return {
    type: 'ScheduledBackup',
    data: {
      clusterId: String(backup['cluster-id']),
      description: String(backup.description),
      maxBackupCount: Number(backup['max-backup-count']),
    },
    description: String(job.description),
    schedule: String(job.schedule),
  }
}
