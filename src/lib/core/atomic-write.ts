import {randomBytes} from 'node:crypto'
import {chmod, mkdir, open, rename, rm} from 'node:fs/promises'
import {basename, dirname, join} from 'node:path'

export interface AtomicWriteOptions {
  /** File mode of the result (default 0o644 minus umask, like a plain write). */
  mode?: number
  /** Mode of the parent directory when it has to be created. */
  dirMode?: number
}

/**
 * Writes through a temp file in the same directory, fsyncs and renames over the target, so a
 * reader (or a crash) never sees a half-written settings or token file.
 */
export async function writeFileAtomic(path: string, data: string, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(path)
  await mkdir(dir, {recursive: true, mode: options.dirMode ?? 0o755})
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`)
  const mode = options.mode ?? 0o644
  try {
    const handle = await open(tmp, 'wx', mode)
    try {
      await handle.writeFile(data, 'utf8')
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
