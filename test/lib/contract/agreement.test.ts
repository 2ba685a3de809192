import {strict as assert} from 'node:assert'
import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import Fastify, {type FastifyInstance} from 'fastify'

import {TOPOLOGIES as CLI_TOPOLOGIES} from '../../../src/lib/cli/restore/cluster-request.js'
import * as decode from '../../../src/lib/client/api/decode.js'
import {TOPOLOGIES} from '../../../src/lib/contract/enums.js'
import type {CreateBackupRequest, CreateClusterRequest, CreateJobRequest} from '../../../src/lib/contract/models.js'
import * as requests from '../../../src/lib/contract/requests.js'
import * as responses from '../../../src/lib/contract/responses.js'
import * as serverSchemas from '../../../src/lib/server/api/schemas.js'
import {repoRoot} from '../../support/run-cli.js'
import {backup, cluster, historyItem, job} from '../client/api/fixtures.js'
import {clusterBody, createCluster, openTestCloud, type TestCloud} from '../server/helpers.js'

interface Body {
  name: string
  schema: {required: readonly string[]}
  sample: Record<string, unknown>
  decode: (body: unknown) => unknown
}

const RESPONSES: Body[] = [
  {name: 'Backup', schema: responses.backupSchema, sample: backup(), decode: decode.decodeBackup},
  {name: 'Cluster', schema: responses.clusterSchema, sample: cluster(), decode: decode.decodeCluster},
  {name: 'Job', schema: responses.jobSchema, sample: job(), decode: decode.decodeJob},
  {name: 'Job data', schema: responses.scheduledBackupDataSchema, sample: job().data, decode: (data) => decode.decodeJob({...job(), data})},
  {name: 'HistoryItem', schema: responses.historyItemSchema, sample: historyItem(), decode: decode.decodeHistoryItem},
  {name: 'created', schema: responses.createdSchema, sample: {id: 'c1ev3l5o0aeu6ojco7b0'}, decode: decode.decodeCreated},
  {name: 'backups list', schema: responses.listBackupsSchema, sample: {backups: [backup()]}, decode: decode.decodeBackupList},
  {name: 'backup get', schema: responses.getBackupSchema, sample: {backup: backup()}, decode: decode.decodeBackupOne},
  {name: 'clusters list', schema: responses.listClustersSchema, sample: {clusters: [cluster()]}, decode: decode.decodeClusterList},
  {name: 'cluster get', schema: responses.getClusterSchema, sample: {cluster: cluster()}, decode: decode.decodeClusterOne},
  {name: 'jobs list', schema: responses.listJobsSchema, sample: {jobs: [job()]}, decode: decode.decodeJobList},
  {name: 'job get', schema: responses.getJobSchema, sample: {job: job()}, decode: decode.decodeJobOne},
  {name: 'history list', schema: responses.listHistorySchema, sample: {items: [historyItem()]}, decode: decode.decodeHistoryList},
]

/** A fastify app validating each response schema as a request body, with the local cloud's ajv options. */
async function validatorApp(): Promise<FastifyInstance> {
  const app = Fastify({ajv: {customOptions: {coerceTypes: false, removeAdditional: false, allErrors: true}}})
  for (const [i, body] of RESPONSES.entries()) app.post(`/${i}`, {schema: {body: body.schema}}, async () => ({ok: true}))
  await app.ready()
  return app
}

const without = (body: Record<string, unknown>, field: string) => Object.fromEntries(Object.entries(body).filter(([k]) => k !== field))

describe('the API contract: what the local cloud validates and what the client decodes', () => {
  describe('answers', () => {
    let app: FastifyInstance
    before(async () => {
      app = await validatorApp()
    })
    after(() => app.close())

    const validates = async (i: number, payload: unknown) =>
      (await app.inject({method: 'POST', url: `/${i}`, payload: payload as object})).statusCode === 200
    const decodes = (body: Body, payload: unknown) => {
      try {
        body.decode(payload)
        return true
      } catch (error) {
        if (error instanceof decode.DecodeProblem) return false
        throw error
      }
    }

    for (const [i, body] of RESPONSES.entries()) {
      it(`${body.name}: both accept a complete body and both refuse it without any one required field`, async () => {
        assert.ok(body.schema.required.length > 0)
        assert.equal(await validates(i, body.sample), true)
        assert.equal(decodes(body, body.sample), true)
        for (const field of body.schema.required) {
          const payload = without(body.sample, field)
          assert.deepEqual([field, await validates(i, payload), decodes(body, payload)], [field, false, false])
        }
      })
    }

    it('the local cloud answers with bodies the contract describes and the client decodes', async () => {
      const t = await openTestCloud()
      try {
        const get = async (url: string) => (await t.cloud.app.inject({method: 'GET', url, headers: t.auth})).json()
        const post = async (url: string, payload: object) =>
          (await t.cloud.app.inject({method: 'POST', url, headers: t.auth, payload})).json()
        const clusterId = await createCluster(t)
        await post(`${t.mesdb}/backups`, {description: 'on demand', sourceClusterId: clusterId})
        await t.cloud.ctx.runner.idle()
        const jobBody: CreateJobRequest = {
          type: 'ScheduledBackup',
          data: {clusterId, description: 'hourly', maxBackupCount: 2},
          description: 'j',
          schedule: '0 */1 * * *',
        }
        const {id: jobId} = await post(`${t.orchestrate}/jobs`, jobBody)
        await post(`${t.orchestrate}/jobs/${jobId}/run`, {})
        await t.cloud.ctx.runner.idle()
        const answers: Array<[string, unknown]> = [
          ['backups list', await get(`${t.mesdb}/backups`)],
          ['clusters list', await get(`${t.mesdb}/clusters`)],
          ['jobs list', await get(`${t.orchestrate}/jobs`)],
          ['history list', await get(`${t.orchestrate}/history`)],
        ]
        for (const [name, answer] of answers) {
          const i = RESPONSES.findIndex((body) => body.name === name)
          const items = Object.values(answer as object)[0] as unknown[]
          assert.ok(items.length > 0, RESPONSES[i].name)
          assert.equal(await validates(i, answer), true, RESPONSES[i].name)
          assert.equal(decodes(RESPONSES[i], answer), true, RESPONSES[i].name)
        }
      } finally {
        await t.close()
      }
    })
  })

  describe('requests', () => {
    let t: TestCloud
    beforeEach(async () => {
      t = await openTestCloud()
    })
    afterEach(() => t.close())

    it('the routes validate with the contract schemas, and refuse a body without any one required field', async () => {
      assert.equal(serverSchemas.createBackupBody, requests.createBackupBody)
      assert.equal(serverSchemas.createClusterBody, requests.createClusterBody)
      assert.equal(serverSchemas.createJobBody, requests.createJobBody)
      const clusterId = await createCluster(t)
      const backupBody: CreateBackupRequest = {description: 'on demand', sourceClusterId: clusterId}
      const newCluster: CreateClusterRequest = {...clusterBody}
      const jobBody: CreateJobRequest = {
        type: 'ScheduledBackup',
        data: {clusterId, description: 'hourly', maxBackupCount: 2},
        description: 'j',
        schedule: '0 */1 * * *',
      }
      const cases: Array<[string, {required: readonly string[]}, Record<string, unknown>]> = [
        [`${t.mesdb}/backups`, requests.createBackupBody, backupBody],
        [`${t.mesdb}/clusters`, requests.createClusterBody, newCluster],
        [`${t.orchestrate}/jobs`, requests.createJobBody, jobBody],
      ]
      for (const [url, schema, body] of cases) {
        for (const field of schema.required) {
          const res = await t.cloud.app.inject({method: 'POST', url, headers: t.auth, payload: without(body, field)})
          assert.deepEqual([url, field, res.statusCode, Object.keys(res.json().fields)], [url, field, 400, [field]])
        }
        const ok = await t.cloud.app.inject({method: 'POST', url, headers: t.auth, payload: body})
        assert.ok(ok.statusCode < 300, `${url}: ${ok.body}`)
      }
      const data = without(jobBody.data, 'maxBackupCount')
      const res = await t.cloud.app.inject({method: 'POST', url: `${t.orchestrate}/jobs`, headers: t.auth, payload: {...jobBody, data}})
      assert.deepEqual(Object.keys(res.json().fields), ['data.maxBackupCount'])
    })

    it('one topology list: the CLI offers and the local cloud accepts exactly the contract topologies', async () => {
      assert.equal(CLI_TOPOLOGIES, TOPOLOGIES)
      assert.equal(serverSchemas.createClusterBody.properties.topology.enum, TOPOLOGIES)
      assert.deepEqual([...TOPOLOGIES], ['single-node', 'three-node-multi-zone'])
      for (const topology of TOPOLOGIES) await createCluster(t, {...clusterBody, topology})
      for (const topology of ['three-node', 'five-node']) {
        const res = await t.cloud.app.inject({
          method: 'POST',
          url: `${t.mesdb}/clusters`,
          headers: t.auth,
          payload: {...clusterBody, topology},
        })
        assert.equal(res.statusCode, 400)
        assert.deepEqual(res.json().fields, {topology: 'must be equal to one of the allowed values: single-node, three-node-multi-zone'})
      }
    })
  })

  it('json-schema-to-ts is imported for types only (nothing of it loads at run time)', () => {
    const files = readdirSync(join(repoRoot, 'src'), {recursive: true, encoding: 'utf8'}).filter((f) => f.endsWith('.ts'))
    const users = files.filter((f) => readFileSync(join(repoRoot, 'src', f), 'utf8').includes("'json-schema-to-ts'"))
    assert.ok(users.length > 0)
    for (const file of users) {
      const text = readFileSync(join(repoRoot, 'src', file), 'utf8')
      const valueImports = text.split('\n').filter((line) => line.includes("'json-schema-to-ts'") && !/^import type /.test(line))
      assert.deepEqual([file, valueImports], [file, []])
    }
  })
})
