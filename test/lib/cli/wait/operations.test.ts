import {strict as assert} from 'node:assert'

import {EscError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf, ExitCode} from '../../../../src/lib/cli/error-exit.js'
import type {WaitClock} from '../../../../src/lib/core/clock.js'
import {awaitOperation, backupStatus, clusterStatus, OperationWait} from '../../../../src/lib/cli/wait/operations.js'
import type {Backup} from '../../../../src/lib/contract/models.js'

type Res = {data: {backup: Pick<Backup, 'id' | 'status'>}}

/** A virtual clock: sleeping returns at once and moves time on. */
let clock: WaitClock

function op(statuses: string[], extra: Partial<OperationWait<Res, Backup>> = {}) {
  const printed: string[] = []
  const chunks: string[] = []
  let i = 0
  const wait: OperationWait<Res, Backup> = {
    label: 'backup b1',
    reattach: 'esc mesdb backups wait -i b1',
    timeoutMs: 20_000,
    pollIntervalMs: 5000,
    fetch: async () => ({data: {backup: {id: 'b1', status: statuses[Math.min(i++, statuses.length - 1)]}}}),
    select: (res) => res.data.backup as Backup,
    ...backupStatus,
    print: async (res) => void printed.push(res.data.backup.status),
    stream: {isTTY: false, write: (chunk: string) => chunks.push(chunk) > 0},
    clock,
    ...extra,
  }
  return {wait, printed, chunks}
}

describe('wait: awaitOperation', () => {
  beforeEach(() => {
    let now = 0
    clock = {now: () => now, sleep: async (ms: number) => void (now += ms)}
  })

  it('prints the final object and returns it when done', async () => {
    const {wait, printed, chunks} = op(['creating', 'creating', 'creating', 'available'])
    const res = await awaitOperation(wait)
    assert.equal(res.data.backup.status, 'available')
    assert.deepEqual(printed, ['available'])
    assert.deepEqual(chunks, ['backup b1: creating (0s)\n', 'backup b1: available (3s)\n'])
  })

  it('prints the final object, then throws exit 5, when failed', async () => {
    const {wait, printed} = op(['defunct'], {details: () => 'snapshot timed out'})
    await assert.rejects(
      awaitOperation(wait),
      (error: unknown) =>
        error instanceof EscError &&
        exitCodeOf(error) === ExitCode.FailedState &&
        error.message === "The backup b1 ended with status 'defunct': snapshot timed out",
    )
    assert.deepEqual(printed, ['defunct'])
  })

  it("shows why a backup or cluster failed when the API says (the local cloud's details)", async () => {
    const {wait} = op(['defunct'], {
      fetch: async () => ({data: {backup: {id: 'b1', status: 'defunct', details: '--db /x is not a directory'}}}),
    })
    await assert.rejects(
      awaitOperation(wait),
      (error: unknown) =>
        error instanceof EscError &&
        exitCodeOf(error) === ExitCode.FailedState &&
        error.message === "The backup b1 ended with status 'defunct': --db /x is not a directory",
    )
    const c = (details: unknown) => ({status: 'defunct', details}) as unknown as Parameters<typeof clusterStatus.details>[0]
    assert.equal(clusterStatus.details(c('restore failed: backup is corrupt')), 'restore failed: backup is corrupt')
    assert.equal(clusterStatus.details(c(undefined)), undefined)
    assert.equal(backupStatus.details({status: 'defunct', details: 42} as unknown as Backup), undefined)
  })

  it('when status checks fail for good, the error says how to re-attach (the operation goes on)', async () => {
    const {wait, printed, chunks} = op(['creating'], {
      timeoutMs: 3_600_000,
      fetch: async () => {
        throw new EscError('could not connect to http://127.0.0.1:1: connection refused')
      },
    })
    await assert.rejects(
      awaitOperation(wait),
      (error: unknown) =>
        error instanceof EscError &&
        exitCodeOf(error) === ExitCode.Failure &&
        error.message === 'could not connect to http://127.0.0.1:1: connection refused',
    )
    assert.deepEqual(printed, [])
    assert.equal(
      chunks.at(-1),
      'backup b1: giving up on status checks; it goes on in the cloud. Re-attach with: esc mesdb backups wait -i b1\n',
    )
    // A non-transient error (the backup is gone, the token is refused) has nothing to re-attach to.
    const gone = op(['creating'], {
      fetch: async () => {
        throw Object.assign(new EscError('Not Found'), {status: 404})
      },
    })
    await assert.rejects(awaitOperation(gone.wait), (error: unknown) => error instanceof EscError && error.message === 'Not Found')
    assert.ok(
      gone.chunks.every((c) => !c.includes('re-attach')),
      gone.chunks.join(''),
    )
  })

  it('prints nothing and throws exit 4 on timeout', async () => {
    const {wait, printed} = op(['creating'])
    await assert.rejects(awaitOperation(wait), (error: unknown) => error instanceof EscError && exitCodeOf(error) === ExitCode.Timeout)
    assert.deepEqual(printed, [])
  })

  it('draws a spinner on an interactive stream and clears it before printing', async () => {
    const {wait, chunks} = op(['creating', 'creating', 'creating', 'available'], {interactive: true})
    await awaitOperation(wait)
    assert.ok(chunks.every((c) => !c.endsWith('\n')))
    assert.equal(chunks.at(-1), '\r\u001B[2K')
    assert.ok(chunks.some((c) => c.includes('backup b1: available (3s)')))
  })

  it('knows which statuses end a backup or a cluster', () => {
    assert.equal(backupStatus.isFailed({status: 'deleted'} as Backup), true)
    assert.equal(backupStatus.isFailed({status: 'creating'} as Backup), false)
    const c = (status: string) => ({status}) as Parameters<typeof clusterStatus.isFailed>[0]
    assert.equal(clusterStatus.isFailed(c('defunct')), true)
    assert.equal(clusterStatus.isFailed(c('inconsistent')), false)
    assert.equal(clusterStatus.isDone(c('available')), true)
  })
})
