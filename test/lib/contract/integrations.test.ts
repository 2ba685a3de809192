import {strict as assert} from 'node:assert'

import Fastify from 'fastify'

import * as contract from '../../../src/lib/contract/integrations.js'

/** The request schemas accept the official CLI's bodies byte for byte and refuse incomplete ones. */
describe('contract: integrations request schemas', () => {
  const app = Fastify()
  app.post('/create', {schema: {body: contract.createIntegrationBody}}, async () => ({ok: true}))
  app.put('/update', {schema: {body: contract.updateIntegrationBody}}, async () => ({ok: true}))
  after(() => app.close())

  const post = (url: string, method: 'POST' | 'PUT', payload: string) =>
    app.inject({method, url, payload, headers: {'content-type': 'application/json'}})

  for (const body of [
    '{"data":{"sink":"slack","channelId":"C012AB3CD","token":"xoxb-123","source":"notifications"},"description":"Alerts"}',
    '{"data":{"sink":"slack","channelId":"C012AB3CD","token":"xoxb-123"},"description":"Alerts"}',
    '{"data":{"sink":"opsGenie","apiKey":"k-1"},"description":"OG"}',
    '{"data":{"sink":"webhook","url":"http://127.0.0.1:9/hook","secret":"s3cret"},"description":"Hook"}',
  ]) {
    it(`accepts ${body}`, async () => {
      assert.equal((await post('/create', 'POST', body)).statusCode, 200)
    })
  }

  for (const body of [
    '{"data":{"sink":"slack","channelId":"C1"},"description":"no token"}',
    '{"data":{"sink":"teams","url":"http://x"},"description":"unknown sink"}',
    '{"data":{"sink":"webhook","url":"ftp://x"},"description":"not http"}',
    '{"data":{"sink":"opsGenie","apiKey":"k"}}',
  ]) {
    it(`refuses ${body}`, async () => {
      assert.equal((await post('/create', 'POST', body)).statusCode, 400)
    })
  }

  it('accepts the empty update the official CLI sends and one with sink fields', async () => {
    assert.equal((await post('/update', 'PUT', '{}')).statusCode, 200)
    assert.equal((await post('/update', 'PUT', '{"data":{"token":"t"},"description":"New"}')).statusCode, 200)
  })
})
