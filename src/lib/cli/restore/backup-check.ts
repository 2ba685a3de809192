import type {Backup} from '../../contract/models.js'
import {errorKind} from '../../core/errors.js'

/** The backup a restore names, or why it could not be read. */
export type BackupRead = {backup: Backup; error?: undefined} | {backup?: undefined; error: unknown}

/**
 * Reads the backup a restore starts from. The read only serves checks (the disk size) and defaults:
 * a token may be allowed to create clusters without reading backups, and the API is the judge of
 * the restore, so a failed read is returned rather than thrown. An interruption still stops.
 */
export async function readBackup(read: () => Promise<{data: {backup: Backup}}>): Promise<BackupRead> {
  try {
    return {backup: (await read()).data.backup}
  } catch (error) {
    if (errorKind(error) === 'interrupted') throw error
    return {error}
  }
}

/** The one warning line printed when the restore goes on without its backup's check. */
export function unreadBackupWarning(backupId: string, error: unknown): string {
  const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0]
  return `Warning: could not read backup ${backupId} to check the disk size (${reason}); sending the create anyway\n`
}
