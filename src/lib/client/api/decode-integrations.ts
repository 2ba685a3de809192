/**
 * Lenient decoding of the `/integrate/v1` answers (see decode.ts for the rules). The fields of a
 * Slack or OpsGenie `data` are checked, as the official CLI requires them; other sinks pass as sent.
 */
import type {
  Integration,
  IntegrationOptionsResponse,
  ListDeliveriesResponse,
  TestIntegrationResult,
  Delivery,
} from '../../contract/integrations.js'
import {
  deliverySchema,
  getIntegrationSchema,
  integrationDataSchema,
  integrationOptionsSchema,
  integrationSchema,
  listDeliveriesSchema,
  listIntegrationsSchema,
  opsGenieDataSchema,
  slackDataSchema,
  sinkSummarySchema,
  sourceSummarySchema,
  testIntegrationResultSchema,
  webhookDataSchema,
} from '../../contract/integrations.js'
import {check, list, one} from './decode.js'

const DATA_SCHEMAS = {slack: slackDataSchema, opsGenie: opsGenieDataSchema, webhook: webhookDataSchema} as const

export function decodeIntegration(v: unknown, path = ''): Integration {
  const integration = check(v, integrationSchema, path) as Integration
  const where = path ? `${path}.data` : 'data'
  const data = check(integration.data, integrationDataSchema, where)
  const schema = DATA_SCHEMAS[data.sink as keyof typeof DATA_SCHEMAS]
  if (schema) check(data, schema, where)
  return integration
}

const decodeDelivery = (v: unknown, path: string): Delivery => check(v, deliverySchema, path) as Delivery

export const decodeIntegrationList = (b: unknown) => ({integrations: list(b, listIntegrationsSchema, decodeIntegration)})
export const decodeIntegrationOne = (b: unknown) => ({integration: one(b, getIntegrationSchema, decodeIntegration)})
export const decodeDeliveryList = (b: unknown): ListDeliveriesResponse => ({deliveries: list(b, listDeliveriesSchema, decodeDelivery)})

export function decodeIntegrationOptions(b: unknown): IntegrationOptionsResponse {
  const sources = list(b, integrationOptionsSchema, (v, path) => {
    const source = check(v, sourceSummarySchema, path)
    list(source, {required: ['sinks']}, (s, p) => check(s, sinkSummarySchema, `${path}.${p}`))
    return source
  })
  return {sources} as IntegrationOptionsResponse
}

/** The official cloud answers the test with no body the CLI reads: an empty body counts as sent. */
export function decodeTestResult(b: unknown): TestIntegrationResult {
  if (b === undefined) return {delivered: true}
  return check(b, testIntegrationResultSchema, '') as TestIntegrationResult
}
