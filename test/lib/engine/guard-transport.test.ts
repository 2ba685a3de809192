import {strict as assert} from 'node:assert'
import {readFileSync} from 'node:fs'
import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo} from 'node:net'
import {fileURLToPath} from 'node:url'

import {EscError} from '../../../src/lib/core/errors.js'
import {NodeGuard} from '../../../src/lib/engine/guard.js'

// A self-signed certificate for 127.0.0.1 (test only, valid for a century): the node's own CA.
const TLS_DIR = fileURLToPath(new URL('../../support/tls/', import.meta.url))
const CERT = readFileSync(`${TLS_DIR}cert.pem`)
const KEY = readFileSync(`${TLS_DIR}key.pem`)

type Handler = (req: IncomingMessage, res: ServerResponse) => void

/** A real node stand-in on loopback (no nock: the TLS handshake and the socket are what is tested). */
async function listen(server: Server, scheme: 'http' | 'https' = 'http'): Promise<{url: string; close: () => Promise<void>}> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Answers like a healthy single node with nothing to stop. */
const healthyNode: Handler = (req, res) => {
  const port = (req.socket.address() as AddressInfo).port
  const json = (status: number, body: unknown) => {
    res.writeHead(status, {'content-type': 'application/json'})
    res.end(JSON.stringify(body))
  }
  if (req.url === '/admin/scavenge/current') return json(200, {scavengeId: ''})
  if (req.url === '/auto-scavenge/pause') return json(404, {})
  if (req.url === '/gossip') {
    return json(200, {
      serverIp: '127.0.0.1',
      serverPort: port,
      members: [{state: 'Leader', isAlive: true, httpEndPointIp: '127.0.0.1', httpEndPointPort: port, epochNumber: 1, epochId: 'e1'}],
    })
  }
  json(500, {})
}

describe('kurrentdb node guard transport (real sockets on loopback)', () => {
  it('trusts the node certificate through the CA given, refuses it without, and accepts it with --insecure', async () => {
    const node = await listen(createHttpsServer({cert: CERT, key: KEY}, healthyNode), 'https')
    try {
      const trusted = await new NodeGuard({url: node.url, ca: CERT}).prepare()
      assert.equal(trusted.state, 'Leader')

      await assert.rejects(new NodeGuard({url: node.url}).prepare(), (error: EscError) => {
        assert.match(
          error.message,
          new RegExp(`^cannot reach the node at ${node.url} \\(GET /admin/scavenge/current\\): self[- ]signed certificate`),
        )
        return true
      })

      const insecure = await new NodeGuard({url: node.url, insecure: true}).prepare()
      assert.equal(insecure.state, 'Leader')
    } finally {
      await node.close()
    }
  })

  it('sends the credentials written into the URL as Basic auth', async () => {
    const seen: Array<string | undefined> = []
    const node = await listen(
      createHttpServer((req, res) => {
        seen.push(req.headers.authorization)
        healthyNode(req, res)
      }),
    )
    try {
      await new NodeGuard({url: node.url.replace('://', '://admin:chan%40geit@')}).prepare()
      assert.deepEqual(new Set(seen), new Set([`Basic ${Buffer.from('admin:chan@geit').toString('base64')}`]))
    } finally {
      await node.close()
    }
  })

  it('ends a request in flight at once when the signal aborts', async () => {
    let received!: () => void
    const requestReceived = new Promise<void>((resolve) => (received = resolve))
    const node = await listen(createHttpServer(() => received())) // never answers
    try {
      const controller = new AbortController()
      const started = Date.now()
      const prepared = new NodeGuard({url: node.url, requestTimeoutMs: 20_000}, () => undefined, controller.signal).prepare()
      await requestReceived
      controller.abort()
      await assert.rejects(prepared, {name: 'AbortError', message: 'backup aborted'})
      assert.ok(Date.now() - started < 5000, 'did not wait for the request timeout')
    } finally {
      await node.close()
    }
  })

  it('gives up on a node that does not answer after the request timeout', async () => {
    const node = await listen(createHttpServer(() => undefined)) // never answers
    try {
      await assert.rejects(new NodeGuard({url: node.url, requestTimeoutMs: 150}).prepare(), (error: EscError) => {
        assert.equal(error.message, `cannot reach the node at ${node.url} (GET /admin/scavenge/current): request timed out after 150 ms`)
        return true
      })
    } finally {
      await node.close()
    }
  })
})
