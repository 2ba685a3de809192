import {strict as assert} from 'node:assert'
import {mkdtemp, rm, writeFile} from 'node:fs/promises'
import {createServer, type RequestListener, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {adminRequest} from '../../../../src/lib/cli/local/control.js'
import {StateLayout} from '../../../../src/lib/server/layout.js'
import {ServerLock, writeServerInfo} from '../../../../src/lib/server/server-lock.js'

const SECRET = 'admin-secret-never-printed'

/**
 * A state directory whose "running server" (this process holds the lock) is `handler` on
 * loopback: what adminRequest does over the wire is all that is tested here.
 */
async function fakeLocalCloud(handler: RequestListener): Promise<{dir: string; url: string; close: () => Promise<void>}> {
  const dir = await mkdtemp(join(tmpdir(), 'esc-control-'))
  const server: Server = createServer(handler)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const layout = new StateLayout(dir)
  const lock = ServerLock.tryAcquire(layout)!
  await writeServerInfo(layout, {pid: process.pid, url, startedAt: 'x', dir})
  await writeFile(layout.adminCredentials, JSON.stringify({clientId: 'local-admin', clientSecret: SECRET}), {mode: 0o600})
  return {
    dir,
    url,
    async close() {
      lock.release()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await rm(dir, {recursive: true, force: true})
    },
  }
}

const answering: RequestListener = (req, res) => {
  res.setHeader('content-type', 'application/json')
  if (req.url === '/oauth/token') return void res.end(JSON.stringify({access_token: 'tok-1', token_type: 'Bearer'}))
  if (req.url === '/local/v1/status') return void res.end(JSON.stringify({organizationId: 'o1'}))
  res.statusCode = 404
  res.end(JSON.stringify({detail: 'no such route'}))
}

describe('esc local: requests to the running local cloud', () => {
  it('gets a token with the admin client, sends the call with it, and with --debug traces both without the secret', async () => {
    const cloud = await fakeLocalCloud(answering)
    try {
      const lines: string[] = []
      const body = await adminRequest<{organizationId: string}>(cloud.dir, 'GET', '/local/v1/status', undefined, {
        debug: (l) => lines.push(l),
      })
      assert.deepEqual(body, {organizationId: 'o1'})
      assert.deepEqual(
        lines.map((l) => l.replace(/\d+ ms/, 'N ms')),
        [`POST ${cloud.url}/oauth/token`, 'status: 200 in N ms', `GET ${cloud.url}/local/v1/status`, 'status: 200 in N ms'],
      )
      assert.ok(!lines.join('\n').includes(SECRET) && !lines.join('\n').includes('tok-1'))
    } finally {
      await cloud.close()
    }
  })

  it('gives up on a local cloud that does not answer, naming it and the timeout', async () => {
    const cloud = await fakeLocalCloud(() => undefined) // accepts, never answers
    try {
      await assert.rejects(adminRequest(cloud.dir, 'GET', '/local/v1/status', undefined, {requestTimeoutMs: 150}), (error: Error) => {
        assert.equal(
          error.message,
          `the local cloud at ${cloud.url} did not answer POST /oauth/token within 150 ms; see ${new StateLayout(cloud.dir).logFile}`,
        )
        return true
      })
    } finally {
      await cloud.close()
    }
  })

  it('names the local cloud when its port refuses connections', async () => {
    const cloud = await fakeLocalCloud(answering)
    const layout = new StateLayout(cloud.dir)
    await writeServerInfo(layout, {pid: process.pid, url: 'http://127.0.0.1:1', startedAt: 'x', dir: cloud.dir})
    try {
      await assert.rejects(adminRequest(cloud.dir, 'GET', '/local/v1/status'), (error: Error) => {
        assert.equal(
          error.message,
          `cannot reach the local cloud at http://127.0.0.1:1 (POST /oauth/token): connection refused; see ${layout.logFile}`,
        )
        return true
      })
    } finally {
      await cloud.close()
    }
  })

  it('turns an API problem answer into its detail and fields', async () => {
    const cloud = await fakeLocalCloud(answering)
    try {
      await assert.rejects(adminRequest(cloud.dir, 'GET', '/nope'), {message: 'no such route'})
    } finally {
      await cloud.close()
    }
  })
})
