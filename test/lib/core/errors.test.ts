import {strict as assert} from 'node:assert'

import {AbortError, ERROR_KINDS, EscError, errorKind, isAbortError, isEscError, UsageError} from '../../../src/lib/core/errors.js'

describe('errors', () => {
  it('gives usage errors the kind invalid-input and others failure by default', () => {
    assert.equal(new UsageError('bad flag').kind, 'invalid-input')
    assert.equal(new EscError('boom').kind, 'failure')
    assert.equal(new EscError('late', {kind: 'timeout'}).kind, 'timeout')
    assert.equal(errorKind(new Error('plain')), 'failure')
    assert.equal(errorKind(new EscError('late', {kind: 'timeout'})), 'timeout')
  })

  it("carries no exit code: those are the CLI's", () => {
    assert.equal('exit' in new EscError('boom'), false)
    assert.equal('exit' in new UsageError('bad'), false)
  })

  it('has one AbortError, an EscError of kind interrupted, recognised without its name', () => {
    const abort = new AbortError('backup aborted')
    assert.ok(abort instanceof EscError)
    assert.equal(abort.kind, 'interrupted')
    assert.equal(abort.code, 'ABORT_ERR')
    assert.equal(isAbortError(abort), true)
    const controller = new AbortController()
    controller.abort()
    assert.equal(isAbortError(controller.signal.reason), true)
    // Another error that only calls itself AbortError is not one.
    assert.equal(isAbortError(Object.assign(new Error('x'), {name: 'AbortError'})), false)
    assert.equal(isAbortError(new EscError('boom')), false)
  })

  it('recognises an EscError from another copy of this module by its shape', () => {
    // What a lazily loaded engine throws when the loader gave it its own copy of core/errors.
    class OtherEscError extends Error {
      readonly kind = 'unsound-backup'
      readonly suggestions: string[] = []
      readonly debugDetails: string[] = []
    }
    const other = new OtherEscError('the backup is not sound')
    assert.equal(other instanceof EscError, false)
    assert.equal(isEscError(other), true)
    assert.equal(errorKind(other), 'unsound-backup')
    assert.equal(isAbortError(Object.assign(new OtherEscError('stopped'), {kind: 'interrupted'})), true)
    assert.equal(isEscError(Object.assign(new Error('x'), {kind: 'no-such-kind', suggestions: [], debugDetails: []})), false)
    assert.equal(isEscError({kind: 'failure', suggestions: [], debugDetails: []}), false)
  })

  it('lists each kind once', () => {
    assert.equal(new Set(ERROR_KINDS).size, ERROR_KINDS.length)
  })
})
