import {strict as assert} from 'node:assert'

import {ApiError, parseProblem} from '../../../../src/lib/client/api/errors.js'
import type {HttpExchange} from '../../../../src/lib/client/api/exchange.js'
import {redactHeaders, redactText} from '../../../../src/lib/client/api/redact.js'
import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'

const x = (status: number, responseText = '', method = 'GET'): HttpExchange => ({
  method,
  url: `http://h/p`,
  path: '/mesdb/v1/x',
  status,
  responseText,
  durationMs: 1,
  attempts: 1,
})

describe('ApiError', () => {
  it('formats problem details as "<title>: <detail> (HTTP <status> <METHOD> <path>)"', () => {
    const e = new ApiError(x(404), {title: 'Not Found', detail: 'no such backup', status: 404})
    assert.equal(e.message, 'Not Found: no such backup (HTTP 404 GET /mesdb/v1/x)')
    assert.equal(exitCodeOf(e), 1)
    assert.deepEqual(e.suggestions, [])
  })

  it('lists 400 fields one per line, and does not repeat a detail equal to the title', () => {
    const e = new ApiError(x(400, '', 'POST'), {title: 'Invalid', detail: 'Invalid', fields: {a: 'bad', b: 'worse'}})
    assert.equal(e.message, 'Invalid (HTTP 400 POST /mesdb/v1/x)')
    assert.deepEqual(e.suggestions, ['a: bad', 'b: worse'])
  })

  it('maps 401 and 403 to exit 3 with a hint, everything else to 1', () => {
    assert.equal(exitCodeOf(new ApiError(x(401))), 3)
    assert.equal(new ApiError(x(401)).message, 'Not authorized (HTTP 401 GET /mesdb/v1/x)')
    assert.match(new ApiError(x(401)).suggestions[0], /esc access tokens create/)
    assert.equal(exitCodeOf(new ApiError(x(403))), 3)
    for (const s of [400, 404, 409, 429, 500, 502, 418]) assert.equal(exitCodeOf(new ApiError(x(s))), 1, String(s))
    assert.equal(new ApiError(x(418)).message, 'HTTP 418 (HTTP 418 GET /mesdb/v1/x)')
  })

  it('shows a short excerpt of a body that is not problem details', () => {
    const e = new ApiError(x(502, `<html>${'x'.repeat(300)}</html>`))
    assert.equal(e.message, `Bad gateway: <html>${'x'.repeat(194)}… (HTTP 502 GET /mesdb/v1/x)`)
  })

  it('recognizes problem details only in JSON objects with title, detail or type', () => {
    assert.deepEqual(parseProblem('{"title":"t"}'), {title: 't'})
    assert.equal(parseProblem('{"message":"m"}'), undefined)
    assert.equal(parseProblem('[1]'), undefined)
    assert.equal(parseProblem('nope'), undefined)
    assert.equal(parseProblem(''), undefined)
  })
})

describe('redaction for --debug', () => {
  it('masks secret JSON values at any depth', () => {
    assert.equal(
      redactText('{"access_token":"a","refresh_token":"r","list":[{"password":"p","client_secret":"s"}],"id":"keep"}'),
      '{"access_token":"***","refresh_token":"***","list":[{"password":"***","client_secret":"***"}],"id":"keep"}',
    )
  })
  it('masks form fields, bearer credentials and broken JSON', () => {
    assert.equal(
      redactText('grant_type=refresh_token&refresh_token=abc&client_id=x'),
      'grant_type=refresh_token&refresh_token=***&client_id=x',
    )
    assert.equal(redactText('Authorization: Bearer eyJabc.def'), 'Authorization: Bearer ***')
    assert.equal(redactText('{"password":"p", broken'), '{"password":"***", broken')
  })
  it('masks the Authorization header but keeps its scheme', () => {
    assert.deepEqual(redactHeaders({Authorization: 'Bearer abc', Accept: 'application/json'}), {
      Authorization: 'Bearer ***',
      Accept: 'application/json',
    })
  })
})
