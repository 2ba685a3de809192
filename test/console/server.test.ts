import {strict as assert} from 'node:assert'

import {sessionCookieOptions} from '../../src/lib/server/console/sessions.js'
import {openTestCloud, type TestCloud} from '../lib/server/helpers.js'

/** The console's server side through fastify's inject: pages, session cookie, CSRF, headers. */
describe('console: session, CSRF and headers', () => {
  let t: TestCloud
  let password: string
  beforeEach(async () => {
    t = await openTestCloud()
    password = t.cloud.bootstrap!.password
  })
  afterEach(() => t.close())

  const signIn = (email: string, pass: string, headers: Record<string, string> = {}) =>
    t.cloud.app.inject({
      method: 'POST',
      url: '/sign-in',
      headers: {'content-type': 'application/x-www-form-urlencoded', ...headers},
      payload: new URLSearchParams({email, password: pass}).toString(),
    })

  async function session(): Promise<{cookie: string; csrf: string}> {
    const res = await signIn('admin@esc.local', password)
    assert.equal(res.statusCode, 303)
    const cookie = String(res.headers['set-cookie']).split(';')[0]
    const page = await t.cloud.app.inject({method: 'GET', url: '/backups', headers: {cookie}})
    assert.equal(page.statusCode, 200)
    const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(page.body)![1]
    return {cookie, csrf}
  }

  it('signed out, pages redirect to the sign-in page and the API answers 401 problem details', async () => {
    for (const url of ['/', '/clusters', '/backups', '/jobs', '/integrations']) {
      const res = await t.cloud.app.inject({method: 'GET', url})
      assert.equal(res.statusCode, 302, url)
      assert.equal(res.headers.location, '/sign-in')
    }
    const api = await t.cloud.app.inject({method: 'GET', url: `${t.mesdb}/backups`})
    assert.equal(api.statusCode, 401)
    assert.equal(api.headers['content-type'], 'application/problem+json; charset=utf-8')
  })

  it('serves the sign-in page with Email, Password and Sign in, under a strict CSP', async () => {
    const res = await t.cloud.app.inject({method: 'GET', url: '/sign-in'})
    assert.equal(res.statusCode, 200)
    assert.match(res.body, /<label for="email">Email<\/label>/)
    assert.match(res.body, /<label for="password">Password<\/label>/)
    assert.match(res.body, /<button type="submit">Sign in<\/button>/)
    assert.doesNotMatch(res.body, /<script>|<script(?![^>]*\bsrc=)|\son\w+=/)
    const csp = String(res.headers['content-security-policy'])
    assert.match(csp, /script-src 'self'(;|$)/)
    assert.match(csp, /frame-ancestors 'none'/)
    assert.match(csp, /default-src 'self'/)
    assert.doesNotMatch(csp, /unsafe-inline/)
    assert.equal(res.headers['x-content-type-options'], 'nosniff')
  })

  it('a wrong password stays on the sign-in page with one line and sets no cookie', async () => {
    const res = await signIn('admin@esc.local', 'wrong')
    assert.equal(res.statusCode, 303)
    assert.equal(res.headers.location, '/sign-in?failed=1')
    assert.equal(res.headers['set-cookie'], undefined)
    const page = await t.cloud.app.inject({method: 'GET', url: '/sign-in?failed=1'})
    assert.match(page.body, /Wrong email or password\./)
  })

  it('signs in with an HttpOnly SameSite=Strict cookie that reads the API; writes need the CSRF header', async () => {
    const res = await signIn('admin@esc.local', password)
    assert.equal(res.headers.location, '/clusters')
    const setCookie = String(res.headers['set-cookie'])
    assert.match(setCookie, /^esc_console=[\w-]{40,}; Path=\/; HttpOnly; SameSite=Strict$/)
    const {cookie, csrf} = await session()
    const list = await t.cloud.app.inject({method: 'GET', url: `${t.mesdb}/backups`, headers: {cookie}})
    assert.equal(list.statusCode, 200)
    assert.deepEqual(list.json(), {backups: []})
    const body = {description: 'x', sourceClusterId: 'aaaaaaaaaaaaaaaaaaaa'}
    const noCsrf = await t.cloud.app.inject({method: 'POST', url: `${t.mesdb}/backups`, headers: {cookie}, payload: body})
    assert.equal(noCsrf.statusCode, 403)
    assert.match(noCsrf.json().detail, /CSRF token/)
    const wrong = await t.cloud.app.inject({
      method: 'POST',
      url: `${t.mesdb}/backups`,
      headers: {cookie, 'x-csrf-token': 'nope'},
      payload: body,
    })
    assert.equal(wrong.statusCode, 403)
    const ok = await t.cloud.app.inject({method: 'POST', url: `${t.mesdb}/backups`, headers: {cookie, 'x-csrf-token': csrf}, payload: body})
    assert.equal(ok.statusCode, 404, ok.body) // past the session check: the cluster does not exist
  })

  it('the session cookie is Secure when the console is served over https, and only then', () => {
    assert.deepEqual(sessionCookieOptions('https'), {path: '/', httpOnly: true, sameSite: 'strict', secure: true})
    assert.deepEqual(sessionCookieOptions('http'), {path: '/', httpOnly: true, sameSite: 'strict', secure: false})
  })

  it('each page carries a fresh CSRF token of its session; a token of another session is refused', async () => {
    const a = await session()
    const again = await t.cloud.app.inject({method: 'GET', url: '/jobs', headers: {cookie: a.cookie}})
    const second = /<meta name="csrf-token" content="([^"]+)">/.exec(again.body)![1]
    assert.notEqual(second, a.csrf)
    const b = await session()
    const body = {description: 'x', sourceClusterId: 'aaaaaaaaaaaaaaaaaaaa'}
    const post = (cookie: string, csrf: string) =>
      t.cloud.app.inject({method: 'POST', url: `${t.mesdb}/backups`, headers: {cookie, 'x-csrf-token': csrf}, payload: body})
    assert.equal((await post(a.cookie, second)).statusCode, 404)
    assert.equal((await post(a.cookie, a.csrf)).statusCode, 404)
    const foreign = await post(a.cookie, b.csrf)
    assert.equal(foreign.statusCode, 403)
    assert.match(foreign.json().detail, /CSRF token/)
  })

  it('a cross-site sign-in (foreign Origin) is refused', async () => {
    const res = await signIn('admin@esc.local', password, {origin: 'https://evil.example'})
    assert.equal(res.statusCode, 403)
    assert.equal(res.headers['set-cookie'], undefined)
  })

  it('sign out ends the session: the old cookie reads nothing any more', async () => {
    const {cookie, csrf} = await session()
    const noCsrf = await t.cloud.app.inject({method: 'POST', url: '/sign-out', headers: {cookie}})
    assert.equal(noCsrf.statusCode, 403)
    const out = await t.cloud.app.inject({method: 'POST', url: '/sign-out', headers: {cookie, 'x-csrf-token': csrf}})
    assert.equal(out.statusCode, 204)
    // @fastify/cookie's clearCookie: Max-Age=0 and an Expires in the past (for browsers that ignore Max-Age).
    assert.equal(
      String(out.headers['set-cookie']),
      'esc_console=; Max-Age=0; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; HttpOnly; SameSite=Strict',
    )
    assert.equal((await t.cloud.app.inject({method: 'GET', url: `${t.mesdb}/backups`, headers: {cookie}})).statusCode, 401)
    const page = await t.cloud.app.inject({method: 'GET', url: '/backups', headers: {cookie}})
    assert.equal(page.statusCode, 302)
  })

  it('bearer tokens work as before and need no CSRF header', async () => {
    const res = await t.cloud.app.inject({
      method: 'POST',
      url: `${t.mesdb}/backups`,
      headers: t.auth,
      payload: {description: 'x', sourceClusterId: 'aaaaaaaaaaaaaaaaaaaa'},
    })
    assert.equal(res.statusCode, 404)
  })

  it('the shell loads its script and style from the package, no inline code', async () => {
    const {cookie} = await session()
    const page = await t.cloud.app.inject({method: 'GET', url: '/clusters', headers: {cookie}})
    assert.match(page.body, /<script type="module" src="\/console\/app\.js"><\/script>/)
    assert.match(page.body, /<link rel="stylesheet" href="\/console\/app\.css">/)
    assert.doesNotMatch(page.body, /<script>|\son\w+=/)
  })
})
