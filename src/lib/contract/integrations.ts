/**
 * The `/integrate/v1` contract: JSON schemas of the request bodies and answers, and the wire types
 * inferred from them. The local cloud validates with the request schemas; the client decodes the
 * answers leniently with the response schemas (unknown fields pass through).
 *
 * Secrets (Slack token, OpsGenie API key, webhook signing secret) are write-only: requests carry
 * them, answers carry only masked `…Display` strings, so nothing that prints an answer can leak one.
 *
 * `webhook` is a sink of ours (the official cloud has none); `slack` and `opsGenie` follow the
 * official API field for field, in the order the official CLI serializes them.
 */
import type {FromSchema} from 'json-schema-to-ts'

import {ID_PATTERN} from './ids.js'

const string = {type: 'string'} as const
const boolean = {type: 'boolean'} as const
const integer = {type: 'integer'} as const
const text = {type: 'string', minLength: 1, maxLength: 1024} as const
const secret = {type: 'string', minLength: 1, maxLength: 4096} as const
const idSchema = {type: 'string', pattern: ID_PATTERN} as const

/** The sinks the official API names; any other value in an answer is one this CLI cannot show. */
export const OFFICIAL_SINKS = ['awsCloudWatchLogs', 'awsCloudWatchMetrics', 'gcpLogging', 'opsGenie', 'slack', 'pagerDuty'] as const
/** Sinks this CLI creates, ours (`webhook`) included. */
export const CREATABLE_SINKS = ['slack', 'opsGenie', 'webhook'] as const

/** What the local cloud notifies about. Successes go only to a webhook that asks for them. */
export const INTEGRATION_EVENTS = ['backupDefunct', 'scheduledRunFailed', 'restoreDefunct', 'jobOverdue', 'backupSucceeded'] as const

export const INTEGRATION_STATUSES = ['active', 'deleted'] as const
export const DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const

/**
 * Header carrying the webhook signature: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * keyed with the integration's secret.
 */
export const WEBHOOK_SIGNATURE_HEADER = 'x-esc-signature'

// ---- requests ----

export const orgParams = {
  type: 'object',
  required: ['organizationId'],
  properties: {organizationId: idSchema},
} as const

export const integrationParams = {
  type: 'object',
  required: ['organizationId', 'projectId', 'integrationId'],
  properties: {organizationId: idSchema, projectId: idSchema, integrationId: idSchema},
} as const

export const createSlackData = {
  type: 'object',
  required: ['sink', 'channelId', 'token'],
  properties: {sink: {type: 'string', const: 'slack'}, channelId: text, token: secret, source: text},
} as const

/** The official CLI never sends `source` for OpsGenie; the API accepts it. */
export const createOpsGenieData = {
  type: 'object',
  required: ['sink', 'apiKey'],
  properties: {sink: {type: 'string', const: 'opsGenie'}, apiKey: secret, source: text},
} as const

/** Ours. Without a secret the body is sent unsigned. */
export const createWebhookData = {
  type: 'object',
  required: ['sink', 'url'],
  properties: {
    sink: {type: 'string', const: 'webhook'},
    url: {type: 'string', minLength: 1, maxLength: 2048, pattern: '^https?://'},
    secret,
    source: text,
    /** Also send `backupSucceeded` events. */
    notifySuccess: boolean,
  },
} as const

export const createIntegrationBody = {
  type: 'object',
  required: ['data', 'description'],
  properties: {
    data: {oneOf: [createSlackData, createOpsGenieData, createWebhookData]},
    description: text,
  },
} as const

/** Update data is untagged: any of the sink's fields, all optional. */
export const updateIntegrationData = {
  type: 'object',
  properties: {channelId: text, token: secret, apiKey: secret, url: createWebhookData.properties.url, secret},
} as const

export const updateIntegrationBody = {
  type: 'object',
  properties: {data: updateIntegrationData, description: text},
} as const

// ---- answers ----

export const slackDataSchema = {
  type: 'object',
  required: ['sink', 'channelId', 'tokenDisplay', 'source'],
  properties: {sink: {type: 'string', const: 'slack'}, channelId: string, tokenDisplay: string, source: string},
} as const

export const opsGenieDataSchema = {
  type: 'object',
  required: ['sink', 'apiKeyDisplay', 'source'],
  properties: {sink: {type: 'string', const: 'opsGenie'}, apiKeyDisplay: string, source: string},
} as const

export const webhookDataSchema = {
  type: 'object',
  required: ['sink', 'url', 'source'],
  properties: {sink: {type: 'string', const: 'webhook'}, url: string, secretDisplay: string, source: string, notifySuccess: boolean},
} as const

/** Lenient: `sink` is checked, the fields of each sink by the schemas above where the CLI shows them. */
export const integrationDataSchema = {
  type: 'object',
  required: ['sink'],
  properties: {sink: string},
} as const

export const integrationSchema = {
  type: 'object',
  required: ['created', 'data', 'description', 'id', 'organizationId', 'projectId', 'status', 'updated'],
  properties: {
    /** RFC 3339 */
    created: string,
    data: integrationDataSchema,
    description: string,
    id: string,
    organizationId: string,
    projectId: string,
    status: string,
    /** RFC 3339 */
    updated: string,
  },
} as const

export const getIntegrationSchema = {
  type: 'object',
  required: ['integration'],
  properties: {integration: integrationSchema},
} as const

export const listIntegrationsSchema = {
  type: 'object',
  required: ['integrations'],
  properties: {integrations: {type: 'array', items: integrationSchema}},
} as const

export const sinkSummarySchema = {
  type: 'object',
  required: ['id', 'name', 'enabled', 'supportsTestApi'],
  properties: {id: string, name: string, enabled: boolean, supportsTestApi: boolean, label: string},
} as const

export const sourceSummarySchema = {
  type: 'object',
  required: ['enabled', 'id', 'name', 'sinks'],
  properties: {enabled: boolean, id: string, name: string, sinks: {type: 'array', items: sinkSummarySchema}},
} as const

export const integrationOptionsSchema = {
  type: 'object',
  required: ['sources'],
  properties: {sources: {type: 'array', items: sourceSummarySchema}},
} as const

/** One attempt to deliver one event to one integration (ours). */
export const deliverySchema = {
  type: 'object',
  required: ['id', 'integrationId', 'event', 'attempt', 'state', 'attemptedAt'],
  properties: {
    id: string,
    integrationId: string,
    event: string,
    /** 1 for the first try. */
    attempt: integer,
    state: string,
    /** RFC 3339 */
    attemptedAt: string,
    statusCode: integer,
    error: string,
    /** RFC 3339; set while another try is due. */
    nextAttemptAt: string,
  },
} as const

export const listDeliveriesSchema = {
  type: 'object',
  required: ['deliveries'],
  properties: {deliveries: {type: 'array', items: deliverySchema}},
} as const

/** The official API's test answer has no body the CLI reads; ours reports the outcome. */
export const testIntegrationResultSchema = {
  type: 'object',
  required: ['delivered'],
  properties: {delivered: boolean, statusCode: integer, error: string},
} as const

// ---- types ----

type Open<T extends string> = T | (string & {})
/** `T` without its index signature: request bodies carry only the fields they name. */
/** `T` with the types of the fields named in `E` replaced (`Omit` would lose the known keys of an open object). */
type With<T, E> = {[K in keyof T]: K extends keyof E ? E[K] : T[K]}
type Known<T> = {[K in keyof T as string extends K ? never : number extends K ? never : K]: T[K]}

export type IntegrationStatus = Open<(typeof INTEGRATION_STATUSES)[number]>
export type IntegrationEvent = Open<(typeof INTEGRATION_EVENTS)[number]>
export type DeliveryState = Open<(typeof DELIVERY_STATES)[number]>

export type CreateSlackData = Known<FromSchema<typeof createSlackData>>
export type CreateOpsGenieData = Known<FromSchema<typeof createOpsGenieData>>
export type CreateWebhookData = Known<FromSchema<typeof createWebhookData>>
export type CreateIntegrationData = CreateSlackData | CreateOpsGenieData | CreateWebhookData
export interface CreateIntegrationRequest {
  data: CreateIntegrationData
  description: string
}
export type UpdateIntegrationData = Known<FromSchema<typeof updateIntegrationData>>
export interface UpdateIntegrationRequest {
  data?: UpdateIntegrationData
  description?: string
}

export type SlackData = FromSchema<typeof slackDataSchema>
export type OpsGenieData = FromSchema<typeof opsGenieDataSchema>
export type WebhookData = FromSchema<typeof webhookDataSchema>
export type IntegrationData = FromSchema<typeof integrationDataSchema>
export type Integration = With<FromSchema<typeof integrationSchema>, {data: IntegrationData; status: IntegrationStatus}>
export interface GetIntegrationResponse {
  integration: Integration
}
export interface ListIntegrationsResponse {
  integrations: Integration[]
}
export type SinkSummary = FromSchema<typeof sinkSummarySchema>
export type SourceSummary = FromSchema<typeof sourceSummarySchema>
export type IntegrationOptionsResponse = FromSchema<typeof integrationOptionsSchema>
export type Delivery = With<FromSchema<typeof deliverySchema>, {state: DeliveryState; event: IntegrationEvent}>
export interface ListDeliveriesResponse {
  deliveries: Delivery[]
}
export type TestIntegrationResult = FromSchema<typeof testIntegrationResultSchema>
