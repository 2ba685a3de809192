import {type Hashes, sharedHashPool} from './md5-pool.js'

/**
 * SHA-256 (a repository object's content address) and a footer MD5 of files, in one read on a
 * worker thread, for backups to a repository: the event loop stays free for the uploads running
 * meanwhile. On the process's one hashing pool, beside the local engine's MD5 checks of the
 * snapshot: on a 2-core machine a second thread gained nothing but its isolate's memory (peak RSS
 * 178-199 MiB with one, 190-205 MiB with two, same times). Files hashed together (the completed
 * chunks a backup sends at once) share its SIMD lanes, the SHA-256 taken over the bytes read into
 * each lane: MD5 at lane cost instead of OpenSSL's, 0.5-1.5 CPU-seconds less per 1 GiB backup,
 * CPU that a store on the same machine needs. A file alone goes through OpenSSL, cheaper for one.
 */
const pool = sharedHashPool

/**
 * The SHA-256 of `[0, size)` of a file and the MD5 of `[0, md5End)`, and how they were computed.
 * A missing file rejects with its `code` (ENOENT), as fs does; one shorter than `size` with ESHRUNK.
 */
export async function sha256AndMd5Parallel(
  path: string,
  size: number,
  md5End: number,
): Promise<{sha256: string; md5: string; via?: Hashes['via']}> {
  const {sha256, md5, via} = await pool().hashes({path, end: size, md5End, sha256: true})
  return {sha256: sha256!, md5, via}
}

/** The SHA-256 of a whole file, on the same thread. */
export async function sha256OfFileParallel(path: string): Promise<string> {
  return (await pool().hashes({path, md5End: 0, sha256: true})).sha256!
}
