import type {RestoreOptions, RestoreResult} from './types.js'

export async function restoreBackup(_opts: RestoreOptions): Promise<RestoreResult> {
  throw new Error('restoreBackup: not implemented yet')
}
