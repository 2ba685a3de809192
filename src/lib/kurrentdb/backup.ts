import type {BackupManifest} from './manifest.js'
import type {BackupOptions} from './types.js'

export async function backupNode(_opts: BackupOptions): Promise<BackupManifest> {
  throw new Error('backupNode: not implemented yet')
}
