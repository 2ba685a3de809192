import {constants} from 'node:fs'
import {copyFile, rm} from 'node:fs/promises'

import {copyWithMd5Parallel} from './md5-pool.js'

/**
 * Clones files where the filesystem shares extents (XFS, btrfs): a clone costs no copy of the data,
 * so it beats any copy even when the clone must then be read back to be hashed. Once a clone fails
 * (ext4, another filesystem) the run stops trying.
 */
export class Cloner {
  private works = true

  /** True when `dst` (a new file) is a clone of `src`; false, with nothing left at `dst`, when it cannot be. */
  async clone(src: string, dst: string): Promise<boolean> {
    if (!this.works) return false
    try {
      await copyFile(src, dst, constants.COPYFILE_FICLONE_FORCE | constants.COPYFILE_EXCL)
      return true
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw error
      this.works = false
      await rm(dst, {force: true})
      return false
    }
  }
}

/**
 * The copy of a large file that a verified backup or restore must hash: a clone where the
 * filesystem makes one; else a copy through the hashing workers, which hash the bytes as they
 * write them with direct I/O; else (a filesystem refusing direct I/O) the kernel's copy. Returns
 * the MD5 of `[0, md5End)` of the bytes written when it was computed while writing, undefined when
 * the caller must read the copy back to hash it. `dst` must not exist; once one way fails for a
 * run, the run stops trying it.
 */
export class HashedCopier {
  private readonly cloner = new Cloner()
  private direct = true

  constructor(private readonly throughLanes = copyWithMd5Parallel) {}

  async copy(src: string, dst: string, md5End: number, signal?: AbortSignal): Promise<Buffer | undefined> {
    if (await this.cloner.clone(src, dst)) return undefined
    if (this.direct) {
      try {
        return await this.throughLanes(src, dst, md5End, signal)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EDIRECTIO') throw error
        this.direct = false
        // Created by the copy that failed (its name was free: it copies to new files only).
        await rm(dst, {force: true})
      }
    }
    await copyFile(src, dst, constants.COPYFILE_EXCL)
    return undefined
  }
}
