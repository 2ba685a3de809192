import type {FastifyReply, FastifyRequest} from 'fastify'

import type {ProblemDetails} from '../models.js'

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 500: 'Internal Server Error',
  503: 'Service Unavailable',
}

/** An error the API answers as RFC 7807 problem details (the shape esc decodes, §4). */
export class ApiProblem extends Error {
  constructor(readonly status: number, detail: string, readonly fields?: Record<string, string>) {
    super(detail)
  }
}

export const notFound = (what: string, id: string) => new ApiProblem(404, `${what} ${id} not found`)
export const clusterLocked = () => new ApiProblem(409, 'cluster is locked by another operation')

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

export function sendProblem(request: FastifyRequest, reply: FastifyReply, status: number, detail?: string, fields?: Record<string, string>) {
  return reply.code(status).type('application/problem+json').send(problem(status, request.url, detail, fields))
}
