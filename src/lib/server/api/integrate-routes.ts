import type {FastifyInstance} from 'fastify'

import {
  createIntegrationBody,
  integrationParams,
  orgParams,
  type CreateIntegrationData,
  type UpdateIntegrationData,
  updateIntegrationBody,
} from '../../contract/integrations.js'
import {projectParams} from '../../contract/requests.js'
import type {LocalCloudContext} from '../context.js'
import {newId} from '../ids.js'
import {sendNotification} from '../notify/send.js'
import {toDelivery, toIntegration, type IntegrationRow} from '../store/integrations.js'
import {requireProject} from './mesdb-routes.js'
import {notFound} from './problems.js'
import type {SchemaTypeProvider} from './schemas.js'

const INTEGRATE = '/integrate/v1/organizations/:organizationId/projects/:projectId/integrations'
const DEFAULT_SOURCE = 'backups'

/** The sink's public fields (stored as `config`) and its secret (stored apart, never answered). */
function split(data: CreateIntegrationData): {config: Record<string, unknown>; secret: string | null} {
  const source = data.source ?? DEFAULT_SOURCE
  if (data.sink === 'slack') return {config: {channelId: data.channelId, source}, secret: data.token}
  if (data.sink === 'opsGenie') return {config: {source}, secret: data.apiKey}
  return {config: {url: data.url, source, notifySuccess: data.notifySuccess === true}, secret: data.secret ?? null}
}

/** Applies the fields of an update that belong to the integration's sink; others are ignored. */
function applyUpdate(row: IntegrationRow, data: UpdateIntegrationData): {config: string; secret: string | null} {
  const config = JSON.parse(row.config) as Record<string, unknown>
  let secret = row.secret
  if (row.sink === 'slack') {
    if (data.channelId !== undefined) config.channelId = data.channelId
    if (data.token !== undefined) secret = data.token
  } else if (row.sink === 'opsGenie') {
    if (data.apiKey !== undefined) secret = data.apiKey
  } else {
    if (data.url !== undefined) config.url = data.url
    if (data.secret !== undefined) secret = data.secret
  }
  return {config: JSON.stringify(config), secret}
}

export function registerIntegrateRoutes(fastify: FastifyInstance, ctx: LocalCloudContext): void {
  const app = fastify.withTypeProvider<SchemaTypeProvider>()
  const {store} = ctx

  const requireIntegration = (params: {organizationId: string; projectId: string; integrationId: string}): IntegrationRow => {
    const {organizationId, projectId} = requireProject(ctx, params)
    const row = store.integrations.find(organizationId, projectId, params.integrationId)
    if (!row) throw notFound('integration', params.integrationId)
    return row
  }

  app.get('/integrate/v1/organizations/:organizationId/integrations/options', {schema: {params: orgParams}}, async () => {
    const sink = (id: string, name: string) => ({id, name, enabled: true, supportsTestApi: true})
    return {
      sources: [
        {
          enabled: true,
          id: DEFAULT_SOURCE,
          name: 'Backups and scheduled jobs',
          sinks: [sink('slack', 'Slack'), sink('opsGenie', 'OpsGenie'), {...sink('webhook', 'Webhook'), label: 'local cloud only'}],
        },
      ],
    }
  })

  app.post(INTEGRATE, {schema: {params: projectParams, body: createIntegrationBody}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {config, secret} = split(request.body.data as CreateIntegrationData)
    const id = newId(ctx.now().getTime())
    const now = ctx.now().toISOString()
    store.integrations.insert({
      id,
      organization_id: organizationId,
      project_id: projectId,
      description: request.body.description,
      sink: request.body.data.sink,
      config: JSON.stringify(config),
      secret,
      status: 'active',
      created: now,
      updated: now,
    })
    return {id}
  })

  app.get(INTEGRATE, {schema: {params: projectParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    return {integrations: store.integrations.list(organizationId, projectId).map(toIntegration)}
  })

  app.get(`${INTEGRATE}/:integrationId`, {schema: {params: integrationParams}}, async (request) => {
    return {integration: toIntegration(requireIntegration(request.params))}
  })

  app.put(`${INTEGRATE}/:integrationId`, {schema: {params: integrationParams, body: updateIntegrationBody}}, async (request) => {
    const row = requireIntegration(request.params)
    if (row.status === 'deleted') throw notFound('integration', row.id)
    const body = (request.body ?? {}) as {data?: UpdateIntegrationData; description?: string}
    const {config, secret} = applyUpdate(row, body.data ?? {})
    const description = body.description ?? row.description
    store.integrations.update(row.id, {description, config, secret, updated: ctx.now().toISOString()})
    return {}
  })

  app.delete(`${INTEGRATE}/:integrationId`, {schema: {params: integrationParams}}, async (request) => {
    const row = requireIntegration(request.params)
    if (row.status === 'deleted') throw notFound('integration', row.id)
    store.integrations.markDeleted(row.id, ctx.now().toISOString())
    return {}
  })

  app.post(`${INTEGRATE}/:integrationId/test`, {schema: {params: integrationParams}}, async (request) => {
    const row = requireIntegration(request.params)
    if (row.status === 'deleted') throw notFound('integration', row.id)
    const now = ctx.now()
    const result = await sendNotification(
      row,
      {event: 'test', summary: `Test message from the esc local cloud for integration "${row.description}"`, key: `esc-test-${row.id}`},
      now,
    )
    store.integrations.recordDelivery({
      id: newId(now.getTime()),
      integration_id: row.id,
      event: 'test',
      payload: '{}',
      attempt: 1,
      state: result.delivered ? 'delivered' : 'failed',
      attempted_at: now.toISOString(),
      status_code: result.statusCode ?? null,
      error: result.error ?? null,
      next_attempt_at: null,
    })
    return {
      delivered: result.delivered,
      ...(result.statusCode === undefined ? {} : {statusCode: result.statusCode}),
      ...(result.error === undefined || result.delivered ? {} : {error: result.error}),
    }
  })

  app.get(`${INTEGRATE}/:integrationId/deliveries`, {schema: {params: integrationParams}}, async (request) => {
    const row = requireIntegration(request.params)
    return {deliveries: store.integrations.deliveries(row.id).map(toDelivery)}
  })
}
