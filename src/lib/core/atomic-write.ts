import {randomBytes} from 'node:crypto'
import {chmod, mkdir, open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

export interface AtomicWriteOptions {
  /** File mode of the result (default 0o644 minus umask, like a plain write). */
  mode?: number
  /** Mode of the parent directory when it has to be created. */
  dirMode?: number
  /**
   * The temp file to write through (default: a hidden, randomly named one beside the target).
   * The backup engine passes its `.esc-partial` name, which its clean-up removes after a crash; a
   * leftover of that name is overwritten.
   */
  tempPath?: string
}

/**
 * Writes through a temp file in the same directory, fsyncs and renames over the target, so a
 * reader (or a crash) never sees a half-written file (settings, tokens, server.json, backup
 * checkpoints and index files). On failure the temp file is removed and the target left as it was.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, {recursive: true, mode: options.dirMode ?? 0o755})
  const tmp = options.tempPath ?? join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const mode = options.mode ?? 0o644
  try {
    // A random name must be new (nobody else's file); a fixed one may be a crash's leftover.
    const handle = await open(tmp, options.tempPath === undefined ? 'wx' : 'w', mode)
    try {
      await handle.writeFile(data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    // open()'s mode is filtered by the umask; an explicit restrictive mode must hold exactly.
    if (options.mode !== undefined) await chmod(tmp, mode)
    await rename(tmp, path)
  } catch (error) {
    await rm(tmp, {force: true})
    throw error
  }
}
