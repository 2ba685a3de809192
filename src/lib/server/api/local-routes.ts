import type {FastifyInstance} from 'fastify'
import type {FromSchema} from 'json-schema-to-ts'

import {hasUrlCredentials} from '../../core/url-credentials.js'
import {checkAttach} from '../attach-rules.js'
import {restrictModes} from '../owned-dirs.js'
import type {LocalCloudContext} from '../context.js'
import {FailureLimiter, OAuthError, tokenFields} from '../identity.js'
import {newId} from '../ids.js'
import type {ClusterSpec} from '../models.js'
import type {NodeAccess} from '../store/clusters.js'
import {ApiProblem} from './problems.js'
import {attachClusterBody, demoDataBody, type SchemaTypeProvider} from './schemas.js'

/** The spec local clusters get: what `clusters create` would need, filled with local values, on the default network. */
export function localClusterSpec(description: string, networkId: string): ClusterSpec {
  return {
    description,
    diskSizeGb: 10,
    diskType: 'local',
    instanceType: 'local',
    networkId,
    projectionLevel: 'off',
    serverVersion: '24.10',
    topology: 'single-node',
  }
}

type AttachBody = FromSchema<typeof attachClusterBody>

function nodeAccess(body: AttachBody, caFile: string | undefined): NodeAccess | null {
  const access: NodeAccess = {}
  if (body.nodeUsername !== undefined) access.username = body.nodeUsername
  if (body.nodePassword !== undefined) access.password = body.nodePassword
  if (caFile !== undefined) access.caFile = caFile
  if (body.nodeInsecure) access.insecure = true
  return Object.keys(access).length > 0 ? access : null
}

/**
 * The node URL without `user:password@`: those become the node credentials (unless given apart),
 * so the stored URL, the logs and every answer are free of them.
 */
function splitNodeUrl(body: AttachBody): string {
  const invalid = () => new ApiProblem(400, 'invalid body: nodeUrl', {nodeUrl: 'is not a valid http(s) URL'})
  let url: URL
  try {
    url = new URL(body.nodeUrl!)
  } catch {
    throw invalid()
  }
  if (!hasUrlCredentials(body.nodeUrl!)) return body.nodeUrl!
  try {
    if (url.username !== '') body.nodeUsername ??= decodeURIComponent(url.username)
    if (url.password !== '') body.nodePassword ??= decodeURIComponent(url.password)
  } catch {
    throw invalid()
  }
  return body.nodeUrl!.replace(/^(https?:\/\/)[^/?#]*@/i, '$1')
}

/**
 * Endpoints of the local cloud only: identity (`/oauth/token`, as the cloud's identity provider
 * serves it) and `/local/v1/…` for the `esc local` commands.
 */
export function registerLocalRoutes(fastify: FastifyInstance, ctx: LocalCloudContext): void {
  const app = fastify.withTypeProvider<SchemaTypeProvider>()
  const limiter = new FailureLimiter()
  app.post('/oauth/token', async (request, reply) => {
    const wait = limiter.retryAfterSeconds(request.ip)
    if (wait > 0) throw new OAuthError(429, 'slow_down', `too many failed attempts from ${request.ip}; retry in ${wait} s`, wait)
    const fields = tokenFields(request.body)
    // client_secret_basic: client id and secret in the Authorization header (each percent-encoded).
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')
    if (basic && fields.client_secret === undefined) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      try {
        fields.client_id ??= decodeURIComponent(colon === -1 ? decoded : decoded.slice(0, colon))
        fields.client_secret = decodeURIComponent(colon === -1 ? '' : decoded.slice(colon + 1))
      } catch {
        throw new OAuthError(400, 'invalid_request', 'the Basic authorization header is not percent-encoded client_id:client_secret')
      }
    }
    try {
      return reply.header('cache-control', 'no-store').send(await ctx.identity.grant(fields))
    } catch (error) {
      if (error instanceof OAuthError && (error.status === 401 || error.status === 403)) limiter.fail(request.ip)
      throw error
    }
  })

  app.get('/local/v1/status', async () => {
    const {organizationId, projectId, networkId} = ctx.store.ensureDefaults()
    return {
      pid: process.pid,
      startedAt: ctx.startedAt.toISOString(),
      uptimeSeconds: Math.round((ctx.now().getTime() - ctx.startedAt.getTime()) / 1000),
      organizationId,
      projectId,
      networkId,
      stateDir: ctx.layout.root,
      runningOperations: ctx.runner.activeCount,
      scheduledJobs: ctx.scheduler.armedCount,
      counts: ctx.store.counts(),
    }
  })

  app.post('/local/v1/clusters/attach', {schema: {body: attachClusterBody}}, async (request, reply) => {
    const {body} = request
    if (
      (body.nodeUsername !== undefined || body.nodePassword !== undefined || body.nodeCaFile !== undefined || body.nodeInsecure) &&
      !body.nodeUrl
    ) {
      throw new ApiProblem(400, 'invalid body: nodeUrl', {nodeUrl: 'the node credentials and TLS settings need the node URL'})
    }
    const nodeUrl = body.nodeUrl === undefined ? undefined : splitNodeUrl(body)
    const paths = await checkAttach(body, ctx.layout.root, ctx.store.clusters.attached())
    const db = paths.db
    const access = nodeAccess(body, paths.nodeCaFile)
    const {organizationId, projectId, networkId} = ctx.store.ensureDefaults()
    const id = newId(ctx.now().getTime())
    ctx.store.clusters.insert({
      id,
      organization_id: organizationId,
      project_id: projectId,
      status: 'available',
      created: ctx.now().toISOString(),
      kind: 'attached',
      db_dir: db,
      index_dir: paths.index ?? null,
      node_url: nodeUrl ?? null,
      node_access: access,
      spec: localClusterSpec(body.description ?? `self-hosted node ${db}`, networkId),
    })
    return reply.code(201).send({id})
  })

  app.post('/local/v1/demo-data', {schema: {body: demoDataBody}}, async (request, reply) => {
    const body = request.body ?? {}
    const {organizationId, projectId, networkId} = ctx.store.ensureDefaults()
    const id = newId(ctx.now().getTime())
    const db = ctx.layout.clusterDb(id)
    ctx.store.clusters.insert({
      id,
      organization_id: organizationId,
      project_id: projectId,
      status: 'provisioning',
      created: ctx.now().toISOString(),
      kind: 'managed',
      db_dir: db,
      spec: localClusterSpec(body.description ?? 'Demo cluster', networkId),
    })
    try {
      await ctx.engine.generate(db, {chunks: body.chunks ?? 4, chunkSize: body.chunkSize ?? 1024 * 1024})
      await restrictModes(ctx.layout.clusterDir(id))
      if (body.writer !== false) ctx.runner.addWriter(id, await ctx.engine.startWriter(db))
      ctx.store.clusters.setStatus(id, 'available')
    } catch (error) {
      ctx.store.clusters.setStatus(id, 'defunct', `demo data generation failed: ${(error as Error).message}`)
      throw error
    }
    return reply.code(201).send({id, writer: body.writer !== false})
  })
}
