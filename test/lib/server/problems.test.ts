import {strict as assert} from 'node:assert'

import {AbortError, ERROR_KINDS, EscError, UsageError} from '../../../src/lib/core/errors.js'
import {DiskFullError, UnsoundBackupError} from '../../../src/lib/engine/index.js'
import {NotABackupError} from '../../../src/lib/engine/manifest.js'
import {isDiskFull, isUnsoundBackup, problemStatusOf, STATUS_BY_KIND} from '../../../src/lib/server/api/problems.js'

describe('local cloud: error kinds as problem statuses', () => {
  it('gives every kind an HTTP error status', () => {
    assert.deepEqual(Object.keys(STATUS_BY_KIND).sort(), [...ERROR_KINDS].sort())
    for (const kind of ERROR_KINDS) assert.ok(STATUS_BY_KIND[kind] >= 400 && STATUS_BY_KIND[kind] < 600, kind)
  })

  it('answers what the caller can act on with a 4xx, anything else with a 500', () => {
    assert.equal(problemStatusOf(new UsageError('bad', {hint: {advice: 'force'}})), 400)
    assert.equal(problemStatusOf(new EscError('busy', {kind: 'conflict'})), 409)
    assert.equal(problemStatusOf(new DiskFullError('full')), 507)
    assert.equal(problemStatusOf(new AbortError()), 503)
    assert.equal(problemStatusOf(new EscError('boom')), 500)
    assert.equal(problemStatusOf(new Error('not ours')), 500)
  })

  it("tells the engine's verdicts by kind, not by class name", () => {
    assert.equal(isUnsoundBackup(new UnsoundBackupError('unsound')), true)
    assert.equal(isUnsoundBackup(new NotABackupError('/b', 'esc-backup.json is missing')), true)
    assert.equal(isUnsoundBackup(Object.assign(new Error('x'), {name: 'UnsoundBackupError'})), false)
    assert.equal(isDiskFull(new DiskFullError('full')), true)
    assert.equal(isDiskFull(new Error('wrapped', {cause: Object.assign(new Error('w'), {code: 'ENOSPC'})})), true)
    assert.equal(isDiskFull(new EscError('boom')), false)
  })
})
