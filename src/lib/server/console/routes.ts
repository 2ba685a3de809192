import cookie from '@fastify/cookie'
import csrfProtection from '@fastify/csrf-protection'
import helmet from '@fastify/helmet'
import fastifyStatic from '@fastify/static'
import type {FastifyInstance, FastifyReply, FastifyRequest} from 'fastify'

import type {LocalCloudContext} from '../context.js'
import {FailureLimiter} from '../identity.js'
import {consoleAssetsDir} from './assets.js'
import {shellPage, signInPage} from './pages.js'
import {ConsoleSessions, SESSION_COOKIE, type ConsoleSession, sessionCookieOptions} from './sessions.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The console session the request's cookie names, where @fastify/csrf-protection keeps its secret. */
    session: ConsoleSession | null
  }
}

/** The views of the app; each is a page a person can bookmark or reload. */
export const CONSOLE_PAGES = ['/', '/clusters', '/backups', '/jobs', '/integrations']
const CONSOLE_ROUTES = new Set([...CONSOLE_PAGES, '/sign-in', '/sign-out', '/console/*', '/favicon.ico'])

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** What the API's auth hook asks the console: is this a console route, and does a session cookie let it through. */
export interface ConsoleAuth {
  isConsoleRoute(request: FastifyRequest): boolean
  /** undefined: no session cookie (bearer rules apply); the signed-in subject; or why the request is refused. */
  check(request: FastifyRequest): undefined | {subject: string} | {status: number; detail: string}
}

const sessionOf = (sessions: ConsoleSessions, request: FastifyRequest) => {
  const id = request.cookies[SESSION_COOKIE]
  const session = sessions.get(id)
  request.session = session ?? null
  return {id, session}
}

/**
 * The plugin's check is written as a hook that answers a refusal itself; the API answers it as
 * problem details in its own words, so the check is asked with a reply that only notes the refusal.
 */
const NOTING_REPLY = {send: () => undefined} as unknown as FastifyReply
function csrfValid(app: FastifyInstance, request: FastifyRequest): boolean {
  let valid = false
  app.csrfProtection(request, NOTING_REPLY, () => {
    valid = true
  })
  return valid
}

/** A browser on another site must not be able to post to this one (with its SameSite cookie or a login). */
function crossSite(request: FastifyRequest): boolean {
  if (request.headers['sec-fetch-site'] === 'cross-site') return true
  const origin = request.headers.origin
  return origin !== undefined && origin !== `${request.protocol}://${request.headers.host}`
}

export function registerConsole(app: FastifyInstance, ctx: LocalCloudContext): ConsoleAuth {
  const sessions = new ConsoleSessions(() => ctx.now().getTime())
  const limiter = new FailureLimiter(10, 60_000, () => ctx.now().getTime())

  // On the root: the API's auth hook reads the cookie and checks the token too.
  app.decorateRequest('session', null)
  void app.register(cookie)
  // The secret lives in the server-side session (the plugin's '@fastify/session' mode reads
  // request.session._csrf), not in a second cookie: signing out or a restart voids every token.
  void app.register(csrfProtection, {sessionPlugin: '@fastify/session'})

  void app.register(async (scope) => {
    await scope.register(helmet, {
      global: true,
      // Not no-referrer: with it, a browser sends "Origin: null" on the sign-in form's POST, which the cross-site check refuses.
      referrerPolicy: {policy: 'same-origin'},
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          baseUri: ["'none'"],
          objectSrc: ["'none'"],
        },
      },
    })
    const assets = consoleAssetsDir()
    if (assets) await scope.register(fastifyStatic, {root: assets, prefix: '/console/', index: false, cacheControl: false})

    const page = (session: ConsoleSession | undefined, reply: FastifyReply) => {
      if (!session) return reply.code(302).header('location', '/sign-in').header('cache-control', 'no-store').send()
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(shellPage(session.subject, reply.generateCsrf()))
    }
    for (const path of CONSOLE_PAGES) scope.get(path, async (request, reply) => page(sessionOf(sessions, request).session, reply))

    // Browsers ask for it on every page; no icon rather than a 401 in their console.
    scope.get('/favicon.ico', async (_request, reply) => reply.code(204).send())

    scope.get('/sign-in', async (request, reply) => {
      const failed = (request.query as {failed?: string}).failed
      const message =
        failed === 'limited' ? 'Too many failed sign-ins; wait a minute, then try again.' : failed ? 'Wrong email or password.' : undefined
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(signInPage(message))
    })

    scope.post('/sign-in', async (request, reply) => {
      if (crossSite(request)) return reply.code(403).type('text/plain').send('sign-in from another site refused')
      if (limiter.retryAfterSeconds(request.ip) > 0) return reply.code(303).header('location', '/sign-in?failed=limited').send()
      const body = (request.body ?? {}) as Record<string, unknown>
      const email = typeof body.email === 'string' ? body.email : ''
      const password = typeof body.password === 'string' ? body.password : ''
      if (!(await ctx.identity.checkPassword(email, password))) {
        limiter.fail(request.ip)
        return reply.code(303).header('location', '/sign-in?failed=1').send()
      }
      const {id} = sessions.create(email)
      return reply.code(303).setCookie(SESSION_COOKIE, id, sessionCookieOptions(request.protocol)).header('location', '/clusters').send()
    })

    scope.post('/sign-out', async (request, reply) => {
      const {id, session} = sessionOf(sessions, request)
      if (session && !csrfValid(app, request)) {
        return reply.code(403).type('text/plain').send('the CSRF token is missing or wrong')
      }
      sessions.end(id)
      return reply.code(204).clearCookie(SESSION_COOKIE, sessionCookieOptions(request.protocol)).send()
    })
  })

  return {
    isConsoleRoute: (request) => CONSOLE_ROUTES.has(request.routeOptions.url ?? ''),
    check(request) {
      const {id, session} = sessionOf(sessions, request)
      if (id === undefined) return undefined
      if (!session) return {status: 401, detail: 'the console session has ended; sign in again'}
      if (!SAFE_METHODS.has(request.method) && (crossSite(request) || !csrfValid(app, request))) {
        return {status: 403, detail: "the CSRF token is missing or wrong: send the page's token in the X-CSRF-Token header"}
      }
      return {subject: session.subject}
    },
  }
}
