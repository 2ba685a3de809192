import {createHmac} from 'node:crypto'

import {WEBHOOK_SIGNATURE_HEADER} from '../../contract/integrations.js'
import type {IntegrationRow} from '../store/integrations.js'

/** What happened, in the words a message carries. */
export interface Notification {
  event: string
  /** One line: what failed, when and why. */
  summary: string
  /** A stable key of the failure, so OpsGenie folds repeats of it into one alert. */
  key: string
  details?: Record<string, unknown>
}

export interface SendResult {
  delivered: boolean
  statusCode?: number
  error?: string
  /** Seconds the receiver asked us to wait (Retry-After), when it did. */
  retryAfterSeconds?: number
}

const SLACK_API_URL = 'https://slack.com/api'
const OPSGENIE_API_URL = 'https://api.opsgenie.com'
const TIMEOUT_MS = 10_000

/** Base URLs of the real services, overridable for tests and air-gapped sites. */
function baseUrl(variable: string, fallback: string): string {
  return (process.env[variable] || fallback).replace(/\/+$/, '')
}

/** The webhook signature header value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function webhookSignature(secret: string, body: string, unixSeconds: number): string {
  const digest = createHmac('sha256', secret).update(`${unixSeconds}.${body}`).digest('hex')
  return `t=${unixSeconds},v1=${digest}`
}

interface Request {
  url: string
  headers: Record<string, string>
  body: string
}

function requestFor(row: IntegrationRow, notification: Notification, now: Date): Request {
  const config = JSON.parse(row.config) as Record<string, unknown>
  const secret = row.secret ?? ''
  if (row.sink === 'slack') {
    return {
      url: `${baseUrl('ESC_LOCAL_SLACK_API_URL', SLACK_API_URL)}/chat.postMessage`,
      headers: {authorization: `Bearer ${secret}`},
      body: JSON.stringify({channel: config.channelId, text: notification.summary}),
    }
  }
  if (row.sink === 'opsGenie') {
    return {
      url: `${baseUrl('ESC_LOCAL_OPSGENIE_API_URL', OPSGENIE_API_URL)}/v2/alerts`,
      headers: {authorization: `GenieKey ${secret}`},
      body: JSON.stringify({
        message: notification.summary.slice(0, 130),
        alias: notification.key.slice(0, 512),
        description: notification.summary,
        source: 'esc local cloud',
        details: notification.details ?? {},
      }),
    }
  }
  const body = JSON.stringify({event: notification.event, summary: notification.summary, time: now.toISOString(), ...notification.details})
  const headers: Record<string, string> = {}
  if (secret) headers[WEBHOOK_SIGNATURE_HEADER] = webhookSignature(secret, body, Math.floor(now.getTime() / 1000))
  return {url: String(config.url), headers, body}
}

/**
 * Sends one notification to one integration, once. Errors name the status or the network failure,
 * never the request's headers (they carry the secret).
 */
export async function sendNotification(row: IntegrationRow, notification: Notification, now: Date): Promise<SendResult> {
  const request = requestFor(row, notification, now)
  try {
    const response = await fetch(request.url, {
      method: 'POST',
      headers: {'content-type': 'application/json', ...request.headers},
      body: request.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    })
    const text = await response.text().catch(() => '')
    const retryAfter = Number(response.headers.get('retry-after'))
    const extra = Number.isFinite(retryAfter) && retryAfter > 0 ? {retryAfterSeconds: retryAfter} : {}
    if (!response.ok) return {delivered: false, statusCode: response.status, error: `the receiver answered ${response.status}`, ...extra}
    // Slack answers 200 with {"ok":false,"error":…} when it refuses a message.
    if (row.sink === 'slack') {
      const answer = safeJson(text)
      if (answer && answer.ok === false) return {delivered: false, statusCode: response.status, error: `slack: ${String(answer.error)}`}
    }
    return {delivered: true, statusCode: response.status}
  } catch (error) {
    // fetch wraps what went wrong in `cause`: the system's code (ECONNREFUSED) when there is one,
    // else its message ("bad port"); fetch's own message alone ("fetch failed") says nothing.
    const cause = (error as {cause?: {code?: string; message?: string}}).cause
    if (cause?.code) return {delivered: false, error: cause.code}
    const message = [(error as Error).message, cause?.message].filter(Boolean).join(': ')
    return {delivered: false, error: message || 'request failed'}
  }
}

function safeJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>
  } catch {
    return undefined
  }
}
