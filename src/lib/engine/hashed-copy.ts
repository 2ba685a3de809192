import {constants} from 'node:fs'
import {copyFile} from 'node:fs/promises'

import {removeInside} from './contained-path.js'
import {copyWithMd5Parallel} from './md5-pool.js'

/** What a filesystem (or a pair of them) that cannot clone answers. */
const CANNOT_CLONE = new Set(['ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EINVAL', 'ENOSYS', 'ENOTTY'])

/**
 * Clones files where the filesystem shares extents (XFS, btrfs): a clone costs no copy of the data,
 * so it beats any copy even when the clone must then be read back to be hashed. Once a clone fails
 * (ext4, another filesystem) the run stops trying.
 */
export class Cloner {
  private works = true

  /**
   * True when `dst` (a new file) is a clone of `src`; false when the filesystem cannot clone. The
   * copy removes the file it created when the clone fails (libuv does), so nothing is left at `dst`.
   */
  async clone(src: string, dst: string): Promise<boolean> {
    if (!this.works) return false
    try {
      await copyFile(src, dst, constants.COPYFILE_FICLONE_FORCE | constants.COPYFILE_EXCL)
      return true
    } catch (error) {
      if (!CANNOT_CLONE.has((error as NodeJS.ErrnoException).code ?? '')) throw error
      this.works = false
      return false
    }
  }
}

/**
 * The copy of a large file that a verified backup or restore must hash: a clone where the
 * filesystem makes one; else a copy through the hashing workers, which hash the bytes as they
 * write them with direct I/O; else (a filesystem refusing direct I/O) the kernel's copy. Returns
 * the MD5 of `[0, md5End)` of the bytes written when it was computed while writing, undefined when
 * the caller must read the copy back to hash it. `dst` must not exist and lies inside `owner`, a
 * directory esc made for the run (a staging directory); once one way fails for a run, the run stops
 * trying it.
 */
export class HashedCopier {
  private readonly cloner = new Cloner()
  private direct = true

  constructor(
    private readonly protect: readonly string[],
    private readonly throughLanes = copyWithMd5Parallel,
  ) {}

  async copy(src: string, dst: string, owner: string, md5End: number, signal?: AbortSignal): Promise<Buffer | undefined> {
    if (await this.cloner.clone(src, dst)) return undefined
    if (this.direct) {
      try {
        return await this.throughLanes(src, dst, md5End, signal)
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EDIRECTIO') throw error
        this.direct = false
        // What the refused copy created at its new name (an open that the filesystem refused for
        // direct I/O may still have made the file), before the kernel copies to the same name.
        await removeInside(dst, owner, this.protect)
      }
    }
    await copyFile(src, dst, constants.COPYFILE_EXCL)
    return undefined
  }
}
