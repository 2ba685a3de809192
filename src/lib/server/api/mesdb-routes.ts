import type {FastifyInstance} from 'fastify'

import type {LocalCloudContext} from '../context.js'
import {newId} from '../ids.js'
import {labelTemplateProblem} from '../lib-adapter.js'
import type {ClusterSpec} from '../models.js'
import {toBackup} from '../store/backups.js'
import {clusterSpec, toCluster} from '../store/clusters.js'
import {checkClusterCreate} from './cluster-rules.js'
import {ApiProblem, notFound} from './problems.js'
import {backupParams, clusterParams, createBackupBody, createClusterBody, projectParams, type SchemaTypeProvider} from './schemas.js'

type ProjectPath = {organizationId: string; projectId: string}

const MESDB = '/mesdb/v1/organizations/:organizationId/projects/:projectId'

export function requireProject(ctx: LocalCloudContext, {organizationId, projectId}: ProjectPath): ProjectPath {
  if (!ctx.store.projectExists(organizationId, projectId)) {
    throw new ApiProblem(404, `project ${projectId} of organization ${organizationId} not found`)
  }
  return {organizationId, projectId}
}

export function registerMesdbRoutes(fastify: FastifyInstance, ctx: LocalCloudContext): void {
  const app = fastify.withTypeProvider<SchemaTypeProvider>()
  const {store, runner} = ctx

  app.post(`${MESDB}/backups`, {schema: {params: projectParams, body: createBackupBody}}, async (request, reply) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {body} = request
    const templateProblem = labelTemplateProblem(body.description)
    if (templateProblem) throw new ApiProblem(400, 'invalid body: description', {description: templateProblem})
    const cluster = store.clusters.find(organizationId, projectId, body.sourceClusterId)
    if (!cluster || cluster.deleted) throw notFound('cluster', body.sourceClusterId)
    const backup = runner.startBackup({cluster, description: body.description})
    return reply.code(202).send({id: backup.id})
  })

  app.get(`${MESDB}/backups`, {schema: {params: projectParams}}, async (request, reply) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    return reply.type('application/json; charset=utf-8').send(store.backups.listJson(organizationId, projectId))
  })

  app.get(`${MESDB}/backups/:backupId`, {schema: {params: backupParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {backupId} = request.params
    const row = store.backups.find(organizationId, projectId, backupId)
    if (!row) throw notFound('backup', backupId)
    return {backup: toBackup(row)}
  })

  app.delete(`${MESDB}/backups/:backupId`, {schema: {params: backupParams}}, async (request, reply) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {backupId} = request.params
    const row = store.backups.find(organizationId, projectId, backupId)
    if (!row) throw notFound('backup', backupId)
    await runner.deleteBackup(row)
    return reply.code(204).send()
  })

  app.post(`${MESDB}/clusters`, {schema: {params: projectParams, body: createClusterBody}}, async (request, reply) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const spec: ClusterSpec = request.body
    const source = checkClusterCreate(ctx, {organizationId, projectId}, spec)
    const id = newId(ctx.now().getTime())
    const row = {
      id,
      organization_id: organizationId,
      project_id: projectId,
      status: 'provisioning',
      created: ctx.now().toISOString(),
      kind: 'managed' as const,
      db_dir: ctx.layout.clusterDb(id),
      spec,
    }
    store.clusters.insert(row)
    runner.startProvision(store.clusters.get(id)!, source)
    return reply.code(202).send({id})
  })

  app.get(`${MESDB}/clusters`, {schema: {params: projectParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    return {clusters: store.clusters.list(organizationId, projectId).map(toCluster)}
  })

  app.get(`${MESDB}/clusters/:clusterId`, {schema: {params: clusterParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {clusterId} = request.params
    const row = store.clusters.find(organizationId, projectId, clusterId)
    if (!row) throw notFound('cluster', clusterId)
    return {cluster: toCluster(row)}
  })

  app.delete(`${MESDB}/clusters/:clusterId`, {schema: {params: clusterParams}}, async (request, reply) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {clusterId} = request.params
    const row = store.clusters.find(organizationId, projectId, clusterId)
    if (!row || row.deleted) throw notFound('cluster', clusterId)
    if (clusterSpec(row).protected) throw new ApiProblem(409, `cluster ${clusterId} is protected; unset protected before deleting it`)
    await runner.deleteCluster(row)
    return reply.code(204).send()
  })
}
