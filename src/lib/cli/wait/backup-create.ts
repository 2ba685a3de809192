import {Flags} from '@oclif/core'

import {type ApiClient, backupsPath} from '../../client/api/client.js'
import {formatDuration} from '../../core/duration.js'
import {EscError} from '../../core/errors.js'
import {previewBackupLabel} from '../../contract/labels/backup-label.js'
import {type LabelTemplate, parseLabelTemplate} from '../../contract/labels/parse.js'
import {renderLabel} from '../../contract/labels/render.js'
import {backupIdKind} from '../output/kinds.js'
import type {Printer} from '../output/printer.js'
import {printDryRun} from '../restore/dry-run.js'
import {systemClock, type WaitClock} from '../../core/clock.js'
import {awaitBackup} from './backup.js'
import {waitFlags, waitTiming} from './flags.js'
import {withInterrupt} from './interrupt.js'
import {isClusterLockedError, retryOnLock} from './retry-on-lock.js'
import {httpStatusOf} from './transient.js'

/** The flags `backups create` gains over esc's: label preview, lock retries and waiting. */
export const backupCreateFlags = {
  'dry-run': Flags.boolean({description: 'Print the request and a preview of the rendered label instead of sending it'}),
  'retry-on-lock': Flags.boolean({
    description: 'If another operation (e.g. a scheduled backup) holds the cluster, retry with backoff until --timeout',
    helpGroup: 'WAIT',
  }),
  ...waitFlags('the backup is available', '--retry-on-lock'),
}

export interface BackupCreateRequest {
  api: () => Promise<ApiClient>
  printer: Printer
  orgId: string
  projectId: string
  sourceClusterId: string
  /** As typed: may be a label template ({cluster}, {index}, {datetime}…), sent unchanged: the service renders it. */
  description: string
  flags: {'dry-run'?: boolean; 'retry-on-lock'?: boolean; wait?: boolean; timeout?: number; 'poll-interval'?: number}
  /** The command's clock: the label's date, lock retries and the wait (default: the system clock). */
  clock?: WaitClock
}

/**
 * `backups create` after flag parsing: checks the label template (a typo such as `{clustr}` fails
 * before anything is sent), then previews, or creates (retrying while the cluster is locked if
 * asked) and prints the id, or waits and prints the backup. The description is sent exactly as
 * typed, like esc: the service renders it, so rendering here too would unescape `{{ }}` twice.
 */
export async function createBackup(req: BackupCreateRequest): Promise<void> {
  const {orgId, projectId, sourceClusterId, printer, flags} = req
  const clock = req.clock ?? systemClock
  const timing = waitTiming(flags, clock, {
    wait: flags.wait,
    timeoutAlsoWith: {flag: '--retry-on-lock', given: flags['retry-on-lock']},
  })
  const started = clock.now()
  const parsed = parseLabelTemplate(req.description)
  const body = {description: req.description, sourceClusterId}
  if (flags['dry-run']) {
    printDryRun({method: 'POST', path: backupsPath(orgId, projectId), body, notes: await previewNotes(req, parsed, clock)}, printer.format)
    return
  }
  const api = await req.api()
  const send = () => api.createBackup(orgId, projectId, body)
  const created = flags['retry-on-lock']
    ? await withInterrupt((signal) =>
        retryOnLock(send, {
          timeoutMs: timing.timeoutMs,
          clock,
          signal,
          what: `backup of cluster ${sourceClusterId}`,
          onRetry: (error, attempt, delayMs) =>
            process.stderr.write(
              `Cluster ${sourceClusterId} is locked by another operation (HTTP ${httpStatusOf(error)}); ` +
                `retry ${attempt} in ${formatDuration(delayMs)}\n`,
            ),
        }),
      )
    : await send().catch((error: unknown) => {
        throw withCreateAdvice(error, orgId, projectId)
      })
  if (!flags.wait) {
    await printer.created(backupIdKind, created)
    return
  }
  // One --timeout covers the whole command, lock retries included.
  const timeLeftMs = Math.max(1, timing.timeoutMs - (clock.now() - started))
  await awaitBackup(api, printer, orgId, projectId, created.data.id, timing, timeLeftMs)
}

/**
 * Adds what to do next to a failed create: on a lock, the flag that waits for it; when the request
 * timed out or the connection dropped after it was sent, the backup may exist, so say how to look.
 */
function withCreateAdvice(error: unknown, orgId: string, projectId: string): unknown {
  if (!(error instanceof EscError)) return error
  // Added in place: the error keeps its class, which --fmt api needs to show the raw exchange.
  if (isClusterLockedError(error)) {
    error.suggestions.push('Pass --retry-on-lock to retry until the cluster is free (a scheduled backup may hold it)')
  } else if (mayHaveReachedServer(error)) {
    error.suggestions.push(
      `The backup may have been created anyway; check with: esc mesdb backups list --org-id ${orgId} --project-id ${projectId}`,
    )
  }
  return error
}

/** A request that timed out or was cut after connecting: the server may have acted on it. */
function mayHaveReachedServer(error: EscError): boolean {
  const cause = error.cause as {code?: string; event?: string} | undefined
  if (!cause || typeof cause !== 'object') return false
  return (cause.code === 'ETIMEDOUT' && cause.event !== 'connect') || cause.code === 'ECONNRESET'
}

/** The dry run's preview of the label the service will store (none when it stores the text as typed). */
async function previewNotes(req: BackupCreateRequest, parsed: LabelTemplate, clock: WaitClock): Promise<Array<[string, string]>> {
  if (parsed.uses.size === 0) {
    // Only escapes to undo: no data to fetch, and no preview when there is nothing to undo either.
    const label = renderLabel(parsed, {})
    return label === parsed.template ? [] : [['Label preview', label]]
  }
  const {orgId, projectId, sourceClusterId} = req
  const preview = await previewBackupLabel(parsed, {
    clusterId: sourceClusterId,
    now: () => new Date(clock.now()),
    async cluster() {
      const {cluster} = (await (await req.api()).getCluster(orgId, projectId, sourceClusterId)).data
      return {id: cluster.id, description: cluster.description, provider: String(cluster.provider)}
    },
    async existingBackups() {
      const {backups} = (await (await req.api()).listBackups(orgId, projectId)).data
      return backups.filter((b) => b.sourceClusterId === sourceClusterId).length
    },
  })
  const notes: Array<[string, string]> = [['Label preview', preview.label]]
  if (preview.existingBackups !== undefined) {
    notes.push([
      'Index',
      `estimated as the ${preview.existingBackups} existing backups of the cluster + 1; the service assigns the actual number`,
    ])
  }
  return notes
}
