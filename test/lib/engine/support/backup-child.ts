/**
 * Runs one backup in a child process and freezes it mid-copy (after the first file), printing
 * "copying", so the parent test can SIGKILL it at a known point.
 */
import {backupNode} from '../../../../src/lib/engine/index.js'

const [db, backupDir] = process.argv.slice(2)
let frozen = false
await backupNode({
  db,
  backupDir,
  concurrency: 1,
  onProgress: (p) => {
    if (frozen || p.bytesDone === 0) return
    frozen = true
    process.stdout.write('copying\n')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000)
  },
})
process.stdout.write('done\n')
