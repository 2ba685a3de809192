import type {FastifyInstance} from 'fastify'

import type {LocalCloudContext} from '../context.js'
import {newId} from '../ids.js'
import {labelTemplateProblem, scheduleProblem} from '../lib-adapter.js'
import {toHistoryItem, toJob} from '../store/jobs.js'
import {requireProject} from './mesdb-routes.js'
import {ApiProblem, notFound} from './problems.js'
import {createJobBody, historyQuery, jobParams, projectParams, type SchemaTypeProvider} from './schemas.js'

const ORCHESTRATE = '/orchestrate/v1/organizations/:organizationId/projects/:projectId'

export function registerOrchestrateRoutes(fastify: FastifyInstance, ctx: LocalCloudContext): void {
  const app = fastify.withTypeProvider<SchemaTypeProvider>()
  const {store} = ctx

  app.post(`${ORCHESTRATE}/jobs`, {schema: {params: projectParams, body: createJobBody}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {body} = request
    const fields: Record<string, string> = {}
    const badSchedule = scheduleProblem(body.schedule)
    if (badSchedule) fields.schedule = badSchedule
    const badLabel = labelTemplateProblem(body.data.description)
    if (badLabel) fields['data.description'] = badLabel
    if (Object.keys(fields).length > 0) throw new ApiProblem(400, `invalid body: ${Object.keys(fields).join(', ')}`, fields)
    const cluster = store.clusters.find(organizationId, projectId, body.data.clusterId)
    if (!cluster || cluster.deleted) throw notFound('cluster', body.data.clusterId)
    const id = newId(ctx.now().getTime())
    store.jobs.insert({
      id,
      organization_id: organizationId,
      project_id: projectId,
      description: body.description,
      schedule: body.schedule.trim(),
      status: 'active',
      cluster_id: cluster.id,
      backup_description: body.data.description,
      max_backup_count: body.data.maxBackupCount,
      created: ctx.now().toISOString(),
    })
    ctx.scheduler.arm(store.jobs.get(id)!)
    return {id}
  })

  app.get(`${ORCHESTRATE}/jobs`, {schema: {params: projectParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    return {jobs: store.jobs.list(organizationId, projectId).map(toJob)}
  })

  app.get(`${ORCHESTRATE}/jobs/:jobId`, {schema: {params: jobParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {jobId} = request.params
    const row = store.jobs.find(organizationId, projectId, jobId)
    if (!row) throw notFound('job', jobId)
    return {job: toJob(row)}
  })

  app.delete(`${ORCHESTRATE}/jobs/:jobId`, {schema: {params: jobParams}}, async (request, reply) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {jobId} = request.params
    const row = store.jobs.find(organizationId, projectId, jobId)
    if (!row || row.status === 'deleted') throw notFound('job', jobId)
    store.jobs.markDeleted(jobId)
    ctx.scheduler.disarm(jobId)
    return reply.code(204).send()
  })

  app.post(`${ORCHESTRATE}/jobs/:jobId/run`, {schema: {params: jobParams}}, async (request, reply) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {jobId} = request.params
    const row = store.jobs.find(organizationId, projectId, jobId)
    if (!row || row.status === 'deleted') throw notFound('job', jobId)
    const history = ctx.jobs.run(row)
    return reply.code(202).send({historyId: history.id})
  })

  app.get(`${ORCHESTRATE}/history`, {schema: {params: projectParams, querystring: historyQuery}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {jobId} = request.query
    return {items: store.history.list(organizationId, projectId, jobId).map(toHistoryItem)}
  })
}
