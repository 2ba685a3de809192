import {strict as assert} from 'node:assert'

import {EscError, ExitCode, UsageError} from '../../../src/lib/core/errors.js'

describe('errors', () => {
  it('gives usage errors exit code 2 and others 1 by default', () => {
    assert.equal(new UsageError('bad flag').exit, ExitCode.Usage)
    assert.equal(new EscError('boom').exit, ExitCode.Failure)
    assert.equal(new EscError('late', {exit: ExitCode.Timeout}).exit, 4)
  })
})
