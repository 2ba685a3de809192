/**
 * A receiver on 127.0.0.1 that plays Slack, OpsGenie or a webhook for the local cloud's
 * notifications: it records every request and answers with the next of `statuses` (then 200).
 */
import {createHmac, timingSafeEqual} from 'node:crypto'
import {createServer, type IncomingHttpHeaders, type Server} from 'node:http'
import type {AddressInfo} from 'node:net'

export interface Received {
  path: string
  headers: IncomingHttpHeaders
  body: string
  at: number
}

export interface Receiver {
  url: string
  port: number
  received: Received[]
  /** Statuses of the next answers, in order; once empty every answer is 200. */
  statuses: number[]
  close(): Promise<void>
}

export async function receiver(statuses: number[] = [], port = 0): Promise<Receiver> {
  const received: Received[] = []
  const server: Server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => (body += chunk))
    request.on('end', () => {
      received.push({path: request.url ?? '', headers: request.headers, body, at: Date.now()})
      response.writeHead(self.statuses.shift() ?? 200, {'content-type': 'application/json'})
      response.end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const bound = (server.address() as AddressInfo).port
  const self: Receiver = {
    url: `http://127.0.0.1:${bound}`,
    port: bound,
    received,
    statuses,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return self
}

/**
 * The README's verification of the `x-esc-signature` header, as a receiver writes it: recompute
 * HMAC-SHA256 over "<t>.<raw body>" with the shared secret and compare in constant time.
 */
export function verifySignature(secret: string, header: string, body: string): boolean {
  const {t, v1} = Object.fromEntries(header.split(',').map((part) => part.split('=')))
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest()
  const given = Buffer.from(v1 ?? '', 'hex')
  return given.length === expected.length && timingSafeEqual(given, expected)
}
