import type {FastifyReply, FastifyRequest} from 'fastify'

import {type ErrorKind, errorKind} from '../../core/errors.js'
import type {ProblemDetails} from '../models.js'

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
}

/** An error the API answers as RFC 7807 problem details (the ProblemDetails shape of contract/models.ts, which the CLI decodes). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    detail: string,
    readonly fields?: Record<string, string>,
  ) {
    super(detail)
  }
}

export const notFound = (what: string, id: string) => new ApiProblem(404, `${what} ${id} not found`)
/** The cloud's words for a refusal because the cluster's operation lock is held. */
export const CLUSTER_LOCKED =
  'the cluster is locked by another operation, such as another backup is in progress, disk expansion, cluster resize, database upgrade'
export const clusterLocked = () => new ApiProblem(409, CLUSTER_LOCKED)

/**
 * The one place an error's kind becomes an HTTP status. A kind the caller cannot act on is a 500
 * (answered as an internal error, its message kept for server.log).
 */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, number>> = {
  failure: 500,
  'invalid-input': 400,
  auth: 401,
  timeout: 503,
  'failed-state': 409,
  'not-found': 404,
  conflict: 409,
  unavailable: 503,
  'unsafe-source': 409,
  'damaged-file': 500,
  'unsound-backup': 409,
  refused: 409,
  'disk-full': 507,
  interrupted: 503,
}

export const problemStatusOf = (error: unknown): number => STATUS_BY_KIND[errorKind(error)]

const DISK_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL'])

/** Whether `error` (or an error it was caused by) says the disk is full: the filesystem's, SQLite's or the engine's (kind disk-full). */
export function isDiskFull(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as {cause?: unknown}).cause, depth++) {
    const {code} = e as {code?: unknown}
    if ((typeof code === 'string' && DISK_FULL_CODES.has(code)) || errorKind(e) === 'disk-full') return true
  }
  return false
}

/** Whether the engine found a backup that would not restore (so it is not offered again). */
export const isUnsoundBackup = (error: unknown): boolean => errorKind(error) === 'unsound-backup'

export function problem(status: number, instance: string, detail?: string, fields?: Record<string, string>): ProblemDetails {
  const body: ProblemDetails = {
    type: `https://httpstatuses.io/${status}`,
    title: TITLES[status] ?? 'Error',
    status,
    instance,
  }
  if (detail !== undefined) body.detail = detail
  if (fields && Object.keys(fields).length > 0) body.fields = fields
  return body
}

export function sendProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  detail?: string,
  fields?: Record<string, string>,
) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send(problem(status, request.url, detail, fields))
}
