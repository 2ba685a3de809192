import type {ApiClient} from '../../client/api/client.js'
import {backupKind} from '../output/kinds.js'
import type {Printer} from '../output/printer.js'
import {longerTiming, type WaitTiming, timingArgs} from './flags.js'
import {awaitOperation, backupStatus} from './operations.js'
import {reattachCommand} from './outcome.js'

/**
 * Polls a backup until it is available (exit codes as any wait), then prints it. `timeLeftMs` is
 * what remains of `timing.timeoutMs` when the command already spent some of it (lock retries).
 */
export async function awaitBackup(
  api: ApiClient,
  printer: Printer,
  orgId: string,
  projectId: string,
  id: string,
  timing: WaitTiming,
  timeLeftMs = timing.timeoutMs,
): Promise<void> {
  await awaitOperation({
    label: `backup ${id}`,
    reattach: reattachCommand('mesdb backups wait', id, orgId, projectId, timingArgs(timing)),
    reattachAfterTimeout: reattachCommand('mesdb backups wait', id, orgId, projectId, timingArgs(longerTiming(timing))),
    timeoutMs: timeLeftMs,
    requestedTimeoutMs: timing.timeoutMs,
    pollIntervalMs: timing.pollIntervalMs,
    clock: timing.clock,
    fetch: () => api.getBackup(orgId, projectId, id),
    select: (res) => res.data.backup,
    ...backupStatus,
    print: (res) => printer.item(backupKind, res.data.backup, res),
  })
}
