import Fastify, {type FastifyError, type FastifyInstance} from 'fastify'

import {ID_PATTERN} from '../../contract/ids.js'
import {registerConsole} from '../console/routes.js'
import type {LocalCloudContext} from '../context.js'
import {OAuthError, principalOf} from '../identity.js'
import {registerClusterChangeRoutes} from './cluster-change-routes.js'
import {registerInfraRoutes} from './infra-routes.js'
import {registerIntegrateRoutes} from './integrate-routes.js'
import {registerLocalRoutes} from './local-routes.js'
import {registerMesdbRoutes} from './mesdb-routes.js'
import {registerOrchestrateRoutes} from './orchestrate-routes.js'
import {ApiProblem, isDiskFull, problem, problemStatusOf, sendProblem} from './problems.js'
import {registerResourceRoutes} from './resources-routes.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is calling: the principal of the bearer token (see identity.ts principalOf). */
    principal: string
  }
}

const PUBLIC_PATHS = new Set(['/oauth/token'])

interface AjvError {
  instancePath?: string
  message?: string
  params?: {missingProperty?: string; allowedValues?: unknown[]}
}

/** Turns ajv errors into the problem-details `fields` map: one entry per bad field. */
export function validationFields(errors: AjvError[], context?: string): Record<string, string> {
  const fields: Record<string, string> = {}
  for (const error of errors) {
    const segments = (error.instancePath ?? '').split('/').filter(Boolean)
    if (error.params?.missingProperty) segments.push(error.params.missingProperty)
    const name = segments.join('.') || context || 'body'
    let message = error.message ?? 'is invalid'
    if (error.params?.allowedValues) message += `: ${error.params.allowedValues.join(', ')}`
    if (message.startsWith(`must match pattern "${ID_PATTERN}"`)) message = 'must be an id: 20 characters of 0-9 and a-v'
    fields[name] ??= message
  }
  return fields
}

export function buildApp(ctx: LocalCloudContext): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: 64 * 1024,
    ajv: {customOptions: {coerceTypes: false, removeAdditional: false, allErrors: true}},
  })

  // esc sends Content-Type: application/json on every request, also on body-less POSTs (jobs run).
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', {parseAs: 'string'}, (_request, body, done) => {
    const text = (body as string).trim()
    if (text === '') return done(null, undefined)
    try {
      done(null, JSON.parse(text))
    } catch {
      done(new ApiProblem(400, 'the request body is not valid JSON'), undefined)
    }
  })
  app.addContentTypeParser('application/x-www-form-urlencoded', {parseAs: 'string'}, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)))
  })

  app.decorateRequest('principal', '')
  const consoleAuth = registerConsole(app, ctx)
  app.addHook('onRequest', async (request, reply) => {
    if (PUBLIC_PATHS.has(request.routeOptions.url ?? '') || consoleAuth.isConsoleRoute(request)) return
    const header = request.headers.authorization ?? ''
    const match = /^Bearer\s+(\S+)$/i.exec(header)
    // Without a bearer token, the console's session cookie (and its CSRF header on writes) may stand in.
    const session = match ? undefined : consoleAuth.check(request)
    if (session && 'subject' in session) {
      request.principal = principalOf(session.subject)
      return
    }
    if (session) return sendProblem(request, reply, session.status, session.detail)
    if (!match) return sendProblem(request, reply, 401, 'a bearer token is required: Authorization: Bearer <access token>')
    const subject = ctx.identity.verifyAccessToken(match[1])
    if (!subject) return sendProblem(request, reply, 401, 'the access token is invalid or expired; refresh it at /oauth/token')
    request.principal = principalOf(subject)
  })

  // Isolation, once for every route: an organization the caller does not own answers 404 whatever
  // is asked of it, exactly as an organization that does not exist (after the path's validation).
  app.addHook('preHandler', async (request, reply) => {
    const {organizationId} = (request.params ?? {}) as {organizationId?: string}
    if (organizationId === undefined || ctx.store.organizations.visible(organizationId, request.principal)) return
    return sendProblem(request, reply, 404, `organization ${organizationId} not found`)
  })

  app.setErrorHandler((error: FastifyError & {validationContext?: string}, request, reply) => {
    if (error.validation) {
      const fields = validationFields(error.validation as AjvError[], error.validationContext)
      const where = error.validationContext === 'params' ? 'path' : (error.validationContext ?? 'body')
      return sendProblem(request, reply, 400, `invalid ${where}: ${Object.keys(fields).join(', ')}`, fields)
    }
    if (error instanceof ApiProblem) return sendProblem(request, reply, error.status, error.message, error.fields)
    if (error instanceof OAuthError) {
      // Problem details that also carry OAuth's error/error_description (what token clients read).
      if (error.retryAfterSeconds) reply.header('retry-after', String(error.retryAfterSeconds))
      return reply
        .code(error.status)
        .type('application/problem+json')
        .send({...problem(error.status, request.url, error.message), error: error.code, error_description: error.message})
    }
    if (isDiskFull(error)) {
      ctx.log(`disk full on ${request.method} ${request.url.split('?')[0]}: ${error.message}`)
      return sendProblem(request, reply, 507, "the disk of the local cloud's state directory is full; free space, then retry")
    }
    // An error of a kind the caller can act on (bad input, a conflict...) is answered with its message.
    const status = problemStatusOf(error)
    if (status !== 500) return sendProblem(request, reply, status, error.message)
    if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(request, reply, error.statusCode, error.message)
    }
    ctx.log(`internal error on ${request.method} ${request.url}: ${error.stack ?? error.message}`)
    return sendProblem(request, reply, 500, 'internal error in the local cloud; see server.log')
  })

  app.setNotFoundHandler((request, reply) => sendProblem(request, reply, 404, `no route ${request.method} ${request.url.split('?')[0]}`))

  registerMesdbRoutes(app, ctx)
  registerClusterChangeRoutes(app, ctx)
  registerOrchestrateRoutes(app, ctx)
  registerIntegrateRoutes(app, ctx)
  registerResourceRoutes(app, ctx)
  registerInfraRoutes(app, ctx)
  registerLocalRoutes(app, ctx)
  return app
}
