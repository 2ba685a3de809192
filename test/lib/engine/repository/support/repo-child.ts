/**
 * Runs one repository operation in a child process against an S3 repository and freezes it at a
 * known point, printing "frozen", so that the parent test can SIGKILL it there:
 * - `backup <url> <db>`: after the first object is uploaded;
 * - `forget <url> <keep-last>`: after the prune has removed its first object.
 */
import {openRepository} from '../../../../../src/lib/engine/repository/open.js'
import {backupToRepository} from '../../../../../src/lib/engine/repository/repo-backup.js'
import {forgetBackups} from '../../../../../src/lib/engine/repository/repo-admin.js'

const [op, url, arg] = process.argv.slice(2)
const freeze = () => {
  process.stdout.write('frozen\n')
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000)
}
const {repo} = await openRepository(url, {create: true})
if (op === 'backup') {
  // Progress events come from the local copy first, then from the uploads (announced in the log).
  let uploading = false
  await backupToRepository({
    repository: repo,
    db: arg,
    concurrency: 1,
    log: (line) => void (uploading ||= line.startsWith('uploading')),
    onProgress: () => (uploading ? freeze() : undefined),
  })
} else {
  let deleted = 0
  await forgetBackups(repo, {keepLast: Number(arg)}, {onDelete: () => (deleted++ === 1 ? freeze() : undefined)})
}
process.stdout.write('done\n')
