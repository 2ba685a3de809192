/**
 * The outputs of `esc integrations`. Unlike the other resources, the official CLI prints these
 * answers whole: one Debug line for the response (a list too), and JSON that keeps the API's
 * wrapper (`{"integrations": […]}`, `{"integration": …}`, `{"id": …}`). Only `data` is projected;
 * secrets are never in an answer, only their masked `…Display` strings.
 */
import type {Delivery, Integration, IntegrationData, SourceSummary} from '../../contract/integrations.js'
import type {ResourceKind} from './kinds.js'
import {debugNewtype as nt, debugNum, debugOption, debugStr as str, debugStruct, debugVec, pascalVariant, rfc3339Utc} from './rust-debug.js'

const UNSUPPORTED_JSON = 'not supported: switch to CLI option `--fmt api` to see this data'
const text = (s: unknown): string => (s === undefined || s === null ? '' : String(s))
const field = (data: IntegrationData, name: string): string => text((data as Record<string, unknown>)[name])

function dataDebug(data: IntegrationData): string {
  switch (data.sink) {
    case 'slack':
      return debugStruct('SlackIntegrationData', [
        ['channel_id', str(field(data, 'channelId'))],
        ['token_display', str(field(data, 'tokenDisplay'))],
        ['source', str(field(data, 'source'))],
      ])
    case 'opsGenie':
      return debugStruct('OpsGenieIntegrationData', [
        ['api_key_display', str(field(data, 'apiKeyDisplay'))],
        ['source', str(field(data, 'source'))],
      ])
    case 'webhook': {
      const d = data as Record<string, unknown>
      return debugStruct('WebhookIntegrationData', [
        ['url', str(field(data, 'url'))],
        ['secret_display', debugOption(d.secretDisplay as string | undefined, str)],
        ['source', str(field(data, 'source'))],
        ['notify_success', String(d.notifySuccess === true)],
      ])
    }
    default:
      return 'Unsupported'
  }
}

function dataJson(data: IntegrationData): Record<string, unknown> {
  const d = data as Record<string, unknown>
  switch (data.sink) {
    case 'slack':
      return {sink: 'slack', channelId: d.channelId, tokenDisplay: d.tokenDisplay, source: d.source}
    case 'opsGenie':
      return {sink: 'opsGenie', apiKeyDisplay: d.apiKeyDisplay, source: d.source}
    case 'webhook':
      return {sink: 'webhook', url: d.url, secretDisplay: d.secretDisplay, source: d.source, notifySuccess: d.notifySuccess === true}
    default:
      return {sink: UNSUPPORTED_JSON}
  }
}

export function integrationJson(i: Integration): Record<string, unknown> {
  return {
    created: rfc3339Utc(i.created),
    data: dataJson(i.data),
    description: i.description,
    id: i.id,
    organizationId: i.organizationId,
    projectId: i.projectId,
    status: text(i.status).toLowerCase(),
    updated: rfc3339Utc(i.updated),
  }
}

function integrationDebug(i: Integration): string {
  return debugStruct('Integration', [
    ['created', rfc3339Utc(i.created)],
    ['data', dataDebug(i.data)],
    ['description', str(i.description)],
    ['id', nt('IntegrationId', i.id)],
    ['organization_id', nt('OrgId', i.organizationId)],
    ['project_id', nt('ProjectId', i.projectId)],
    ['status', pascalVariant(text(i.status))],
    ['updated', rfc3339Utc(i.updated)],
  ])
}

/** Where the messages go, in one cell: the channel, the URL, or the sink's name. */
function destination(i: Integration): string {
  if (i.data.sink === 'slack') return `slack ${field(i.data, 'channelId')}`
  if (i.data.sink === 'webhook') return `webhook ${field(i.data, 'url')}`
  return text(i.data.sink)
}

export const integrationKind: ResourceKind<Integration> = {
  noun: 'integration',
  plural: 'integrations',
  id: (i) => i.id,
  v1: integrationJson,
  debug: integrationDebug,
  columns: [
    {header: 'ID', cell: (i) => i.id},
    {header: 'Description', cell: (i) => i.description},
    {header: 'Sink', cell: destination},
    {header: 'Source', cell: (i) => field(i.data, 'source')},
    {header: 'Status', cell: (i) => text(i.status)},
    {header: 'Created', cell: (i, f) => f.date(i.created)},
  ],
  fields: [
    {header: 'ID', cell: (i) => i.id},
    {header: 'Description', cell: (i) => i.description},
    {header: 'Sink', cell: destination},
    {header: 'Source', cell: (i) => field(i.data, 'source')},
    {header: 'Secret', cell: (i) => field(i.data, 'tokenDisplay') || field(i.data, 'apiKeyDisplay') || field(i.data, 'secretDisplay')},
    {header: 'Status', cell: (i) => text(i.status)},
    {header: 'Project', cell: (i) => i.projectId},
    {header: 'Created', cell: (i, f) => f.date(i.created)},
    {header: 'Updated', cell: (i, f) => f.date(i.updated)},
  ],
}

/** The whole-response renderings the printer's `wrapped` prints. */
export const integrationViews = {
  created: (id: string) => ({
    debug: debugStruct('CreateIntegrationResponse', [['id', nt('IntegrationId', id)]]),
    json: {id},
  }),
  one: (i: Integration) => ({
    debug: debugStruct('GetIntegrationResponse', [['integration', integrationDebug(i)]]),
    json: {integration: integrationJson(i)},
  }),
  list: (items: Integration[]) => ({
    debug: debugStruct('ListIntegrationsResponse', [['integrations', debugVec(items.map(integrationDebug))]]),
    json: {integrations: items.map(integrationJson)},
  }),
}

function deliveryDebug(d: Delivery): string {
  return debugStruct('Delivery', [
    ['id', str(d.id)],
    ['integration_id', nt('IntegrationId', d.integrationId)],
    ['event', str(text(d.event))],
    ['attempt', debugNum(d.attempt)],
    ['state', pascalVariant(text(d.state))],
    ['attempted_at', rfc3339Utc(d.attemptedAt)],
    ['status_code', debugOption(d.statusCode, debugNum)],
    ['error', debugOption(d.error, str)],
    ['next_attempt_at', debugOption(d.nextAttemptAt, rfc3339Utc)],
  ])
}

export const deliveryKind: ResourceKind<Delivery> = {
  noun: 'delivery',
  plural: 'deliveries',
  id: (d) => d.id,
  v1: (d) => d,
  debug: deliveryDebug,
  columns: [
    {header: 'Attempted', cell: (d, f) => f.date(d.attemptedAt)},
    {header: 'Event', cell: (d) => text(d.event)},
    {header: 'Try', cell: (d) => text(d.attempt)},
    {header: 'State', cell: (d) => text(d.state)},
    {header: 'HTTP', cell: (d) => text(d.statusCode)},
    {header: 'Error', cell: (d) => text(d.error)},
    {header: 'Next try', cell: (d, f) => (d.nextAttemptAt ? f.date(d.nextAttemptAt) : '')},
  ],
  fields: [],
}

export const deliveryViews = {
  list: (items: Delivery[]) => ({
    debug: debugStruct('ListDeliveriesResponse', [['deliveries', debugVec(items.map(deliveryDebug))]]),
    json: {deliveries: items},
  }),
}

function sourceDebug(s: SourceSummary): string {
  const sinks = s.sinks.map((k) =>
    debugStruct('SinkSummary', [
      ['id', str(k.id)],
      ['name', str(k.name)],
      ['enabled', String(k.enabled)],
      ['supports_test_api', String(k.supportsTestApi)],
      ['label', debugOption(k.label, str)],
    ]),
  )
  return debugStruct('SourceSummary', [
    ['enabled', String(s.enabled)],
    ['id', str(s.id)],
    ['name', str(s.name)],
    ['sinks', debugVec(sinks)],
  ])
}

export const sourceKind: ResourceKind<SourceSummary> = {
  noun: 'source',
  plural: 'sources',
  id: (s) => s.id,
  v1: (s) => s,
  debug: sourceDebug,
  columns: [
    {header: 'Source', cell: (s) => s.id},
    {header: 'Name', cell: (s) => s.name},
    {header: 'Enabled', cell: (s) => String(s.enabled)},
    {header: 'Sinks', cell: (s) => s.sinks.map((k) => `${k.id}${k.supportsTestApi ? ' (test)' : ''}`).join(', ')},
  ],
  fields: [],
}

export const optionsViews = {
  list: (sources: SourceSummary[]) => ({
    debug: debugStruct('GetIntegrationOptionsResponse', [['sources', debugVec(sources.map(sourceDebug))]]),
    json: {sources},
  }),
}
