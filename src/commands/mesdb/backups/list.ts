import {Flags} from '@oclif/core'

import {BACKUP_STATUSES} from '../../../lib/contract/enums.js'
import type {Backup} from '../../../lib/contract/models.js'
import {FlagValueError} from '../../../lib/cli/base-flags.js'
import {CloudCommand, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {backupKind} from '../../../lib/cli/output/kinds.js'

export default class BackupsList extends CloudCommand {
  static override description = `List all backups of an organization, given a project id

In the API's order, as esc prints them (scripts may take the first line); --limit keeps the N newest, newest first, and the table sorts newest first.`
  static override examples = [
    '<%= config.bin %> mesdb backups list',
    '<%= config.bin %> mesdb backups list --cluster-id c1eut65o0aeu6ojco7a0 --status available --limit 5 --fmt table',
  ]

  static override flags = {
    'org-id': orgFlag("An organization's id"),
    'project-id': projectFlag('An project id that belongs to an organization pointed by --org-id'),
    'cluster-id': Flags.string({description: 'Only backups of this source cluster'}),
    status: Flags.custom<string>({
      description: `Only backups in this status: ${BACKUP_STATUSES.join(', ')}`,
      // Any case, as the API's statuses are matched; a typo would silently print nothing.
      async parse(input) {
        const status = input.toLowerCase()
        if (!(BACKUP_STATUSES as readonly string[]).includes(status)) {
          throw new FlagValueError(`--status ${input} is not a backup status: use one of ${BACKUP_STATUSES.join(', ')}`)
        }
        return status
      },
    })(),
    limit: Flags.integer({description: 'Only the N newest backups, newest first', min: 1}),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(BackupsList)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const printer = await this.output(flags)
    const res = await api.listBackups(orgId, projectId)
    const backups = selectBackups(res.data.backups, {
      clusterId: flags['cluster-id'],
      status: flags.status,
      limit: flags.limit,
      newestFirst: printer.format === 'table',
    })
    await printer.list(backupKind, backups, res)
  }
}

/**
 * The client-side filters (the API has no query parameters), in the API's order: esc prints that
 * order and scripts rely on it. Sorted newest first by `created` only where asked for: `--limit`
 * (the N newest) and the table.
 */
export function selectBackups(all: Backup[], f: {clusterId?: string; status?: string; limit?: number; newestFirst?: boolean}): Backup[] {
  const time = (b: Backup) => {
    const t = Date.parse(b.created)
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t
  }
  let out = all.slice()
  if (f.newestFirst || f.limit !== undefined) out.sort((a, b) => time(b) - time(a))
  if (f.clusterId) out = out.filter((b) => b.sourceClusterId === f.clusterId)
  if (f.status) out = out.filter((b) => String(b.status).toLowerCase() === f.status!.toLowerCase())
  if (f.limit !== undefined) out = out.slice(0, f.limit)
  return out
}
