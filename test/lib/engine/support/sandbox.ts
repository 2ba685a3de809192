import {lstat, readdir, readlink, writeFile} from 'node:fs/promises'
import {join, relative} from 'node:path'

/**
 * What a directory tree holds, by relative path: each entry's type, mode and (files) size, inode
 * and modification time, (links) target. Two equal snapshots mean nothing was created, changed or removed.
 * FIFOs and devices are recorded by type only (reading them would block or never end).
 */
export async function snapshotTree(root: string, skip: (rel: string) => boolean = () => false): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name)
      const rel = relative(root, path)
      if (skip(rel)) continue
      const st = await lstat(path, {bigint: true})
      const mode = (st.mode & 0o7777n).toString(8)
      if (st.isDirectory()) {
        out[rel] = `dir ${mode}`
        await walk(path)
      } else if (st.isFile()) {
        // Inode and modification time catch every write or replacement without reading the bytes
        // (not the change time: hard-linking a file into a staging directory changes it, and nothing else).
        out[rel] = `file ${mode} ${st.size} ${st.ino} ${st.mtimeNs}`
      } else if (st.isSymbolicLink()) {
        out[rel] = `link ${await readlink(path)}`
      } else {
        out[rel] = `special ${mode}`
      }
    }
  }
  await walk(root)
  return out
}

/** Writes an 8-byte little-endian checkpoint value, as the server does. */
export async function writeCheckpointValue(path: string, value: number): Promise<void> {
  const buf = Buffer.alloc(8)
  buf.writeBigInt64LE(BigInt(value))
  await writeFile(path, buf)
}
