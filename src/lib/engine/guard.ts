import {EscError, UsageError} from '../core/errors.js'
import {sendPlainRequest} from '../core/http.js'
import {redactUrlCredentials} from '../core/url-credentials.js'
import {throwIfAborted} from './format-error.js'
import type {EngineLog, NodeGuardOptions} from './types.js'

type Method = 'GET' | 'POST' | 'DELETE'

const HEALTHY_STATES = new Set(['Leader', 'Follower', 'ReadOnlyReplica'])
const DEFAULT_MAX_LAG = 16 * 1024 * 1024

interface GossipMember {
  instanceId?: string
  state?: string
  isAlive?: boolean
  httpEndPointIp?: string
  httpEndPointPort?: number
  internalHttpEndPointIp?: string
  internalHttpEndPointPort?: number
  writerCheckpoint?: number
  chaserCheckpoint?: number
  epochNumber?: number
  epochId?: string
  isReadOnlyReplica?: boolean
}

/**
 * Keeps a scavenge from running under a file-copy backup: stops a running scavenge (the DELETE
 * answers once it stopped), pauses auto-scavenge, and checks through /gossip that the node is a
 * live, current member. release() resumes auto-scavenge whatever happened in between.
 */
export class NodeGuard {
  private pausedAutoScavenge = false
  private abortedScavengeId?: string
  /** The node's URL without credentials: what requests go to and what messages show. */
  private readonly base: string
  private readonly username?: string
  private readonly password?: string

  /**
   * `signal` (Ctrl-C, SIGTERM, the local cloud's shutdown) ends prepare()'s waits and requests at
   * once; release() never uses it, so auto-scavenge is still resumed after an abort.
   */
  constructor(
    private readonly options: NodeGuardOptions,
    private readonly log: EngineLog = () => undefined,
    private readonly signal?: AbortSignal,
  ) {
    let url: URL
    try {
      url = new URL(options.url)
    } catch {
      throw new UsageError(`the node URL ${redactUrlCredentials(options.url)} is not a valid URL`)
    }
    // Credentials written into the URL (http://admin:secret@host) become Basic auth and go no further.
    this.username = options.username ?? (url.username ? decodeURIComponent(url.username) : undefined)
    this.password = options.password ?? (url.password ? decodeURIComponent(url.password) : undefined)
    url.username = ''
    url.password = ''
    this.base = url.toString().replace(/\/+$/, '')
  }

  /** Returns the node's gossip entry (recorded in the manifest). Resumes auto-scavenge itself if a later step fails. */
  async prepare(): Promise<Record<string, unknown>> {
    try {
      await this.stopScavenge()
      await this.pauseAutoScavenge()
      return await this.checkGossip()
    } catch (error) {
      await this.release().catch((resumeError: Error) =>
        this.log(`warning: could not resume auto-scavenge: ${resumeError.message}`, 'warning'),
      )
      throw error
    }
  }

  /** Resumes auto-scavenge if we paused it; restarts the stopped scavenge if asked. Idempotent. */
  async release(): Promise<void> {
    if (this.pausedAutoScavenge) {
      this.pausedAutoScavenge = false
      const res = await this.request('POST', '/auto-scavenge/resume')
      if (res.status >= 300) throw this.fail('POST /auto-scavenge/resume', res)
      this.log('auto-scavenge resumed')
    }
    if (this.options.restartScavenge && this.abortedScavengeId) {
      this.abortedScavengeId = undefined
      const res = await this.request('POST', '/admin/scavenge')
      if (res.status >= 300) throw this.fail('POST /admin/scavenge', res)
      this.log(`scavenge restarted (${String((parseJson(res.body) as {scavengeId?: string})?.scavengeId ?? '')})`, 'notice')
    }
  }

  private async stopScavenge(): Promise<void> {
    const res = await this.request('GET', '/admin/scavenge/current', undefined, this.signal)
    if (res.status === 404) {
      throw new EscError(
        `${this.base} has no GET /admin/scavenge/current (a server older than 22.10?): esc cannot tell whether a scavenge runs`,
        {
          kind: 'unavailable',
          hint: {advice: 'without-node-guard'},
        },
      )
    }
    if (res.status !== 200) throw this.fail('GET /admin/scavenge/current', res)
    const id = (parseJson(res.body) as {scavengeId?: string} | undefined)?.scavengeId
    if (!id) return
    this.log(`stopping scavenge ${id}`, 'notice')
    const del = await this.request(
      'DELETE',
      `/admin/scavenge/${encodeURIComponent(id)}`,
      this.options.requestTimeoutMs ?? 600_000,
      this.signal,
    )
    if (del.status === 404) return // finished on its own meanwhile
    if (del.status !== 200) throw this.fail(`DELETE /admin/scavenge/${id}`, del)
    this.abortedScavengeId = id
    this.log(`scavenge ${id} stopped`, 'notice')
  }

  private async pauseAutoScavenge(): Promise<void> {
    const res = await this.request('POST', '/auto-scavenge/pause', undefined, this.signal)
    if (res.status === 404 || res.status === 503) {
      this.log('auto-scavenge is not enabled on this node')
      return
    }
    if (res.status !== 200 && res.status !== 202) throw this.fail('POST /auto-scavenge/pause', res)
    this.pausedAutoScavenge = true
    if (res.status === 200) return
    const interval = this.options.pollIntervalMs ?? 1000
    const deadline = this.options.pauseTimeoutMs ?? 600_000
    const sleep = this.options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)))
    for (let waited = 0; ; waited += interval) {
      throwIfAborted(this.signal, 'backup')
      const status = await this.request('GET', '/auto-scavenge/status', undefined, this.signal)
      if (status.status !== 200) throw this.fail('GET /auto-scavenge/status', status)
      const state = (parseJson(status.body) as {state?: string} | undefined)?.state
      if (state === 'Paused') return
      if (waited >= deadline) {
        throw new EscError(`auto-scavenge did not pause within ${Math.round(deadline / 1000)} s (state ${state})`, {kind: 'timeout'})
      }
      await sleep(interval)
    }
  }

  private async checkGossip(): Promise<Record<string, unknown>> {
    const res = await this.request('GET', '/gossip', undefined, this.signal)
    if (res.status !== 200) throw this.fail('GET /gossip', res)
    const gossip = parseJson(res.body) as {members?: GossipMember[]; serverIp?: string; serverPort?: number} | undefined
    const members = gossip?.members ?? []
    const self =
      members.find(
        (m) =>
          sameEndpoint(m.httpEndPointIp, m.httpEndPointPort, gossip) ||
          sameEndpoint(m.internalHttpEndPointIp, m.internalHttpEndPointPort, gossip),
      ) ?? (members.length === 1 ? members[0] : undefined)
    if (!self) throw new EscError(`the node at ${this.base} does not appear in its own gossip`)
    if (!self.isAlive || !HEALTHY_STATES.has(String(self.state))) {
      throw new EscError(
        `the node at ${this.base} is ${self.isAlive ? '' : 'not alive, '}in state ${self.state}; back up a Leader, Follower or ReadOnlyReplica`,
        {kind: 'failed-state'},
      )
    }
    const leader = members.find((m) => m.state === 'Leader' && m.isAlive)
    const lagging: string[] = []
    const maxLag = this.options.maxLagBytes ?? DEFAULT_MAX_LAG
    if (!leader) lagging.push('no alive leader in gossip')
    else {
      if (leader.epochNumber !== self.epochNumber || leader.epochId !== self.epochId)
        lagging.push(`in epoch ${self.epochNumber}, the leader in ${leader.epochNumber}`)
      const behind = (leader.writerCheckpoint ?? 0) - (self.writerCheckpoint ?? 0)
      if (behind > maxLag) lagging.push(`${behind} bytes behind the leader`)
    }
    const unchased = (self.writerCheckpoint ?? 0) - (self.chaserCheckpoint ?? 0)
    if (unchased > maxLag) lagging.push(`chaser ${unchased} bytes behind its writer`)
    if (lagging.length > 0) {
      const message = `the node at ${this.base} is lagging: ${lagging.join('; ')}`
      if (!this.options.allowLagging) throw new EscError(message, {kind: 'failed-state', hint: {advice: 'allow-lagging'}})
      this.log(`warning: ${message} (lagging allowed)`, 'warning')
    }
    return {...self, leaderWriterCheckpoint: leader?.writerCheckpoint}
  }

  private async request(
    method: Method,
    path: string,
    timeout = this.options.requestTimeoutMs ?? 30_000,
    signal?: AbortSignal,
  ): Promise<{status: number; body: string}> {
    throwIfAborted(signal, 'backup')
    const headers: Record<string, string> = {accept: 'application/json'}
    if (this.username !== undefined) {
      headers.authorization = `Basic ${Buffer.from(`${this.username}:${this.password ?? ''}`).toString('base64')}`
    }
    try {
      const res = await sendPlainRequest(`${this.base}${path}`, {
        method,
        headers,
        requestTimeoutMs: timeout,
        ca: this.options.ca,
        rejectUnauthorized: !this.options.insecure,
        signal,
        ...(method === 'POST' ? {body: ''} : {}),
      })
      return {status: res.status, body: res.body}
    } catch (error) {
      throwIfAborted(signal, 'backup')
      throw new EscError(`cannot reach the node at ${this.base} (${method} ${path}): ${(error as Error).message}`, {
        kind: 'unavailable',
        cause: error,
      })
    }
  }

  private fail(what: string, res: {status: number; body: string}): EscError {
    const refused = res.status === 401 || res.status === 403
    return new EscError(`${what} on ${this.base} answered ${res.status}${res.body ? `: ${res.body.slice(0, 200)}` : ''}`, {
      kind: refused ? 'auth' : 'failure',
      ...(refused ? {hint: {advice: 'node-credentials' as const}} : {}),
    })
  }
}

function sameEndpoint(
  ip: string | undefined,
  port: number | undefined,
  gossip: {serverIp?: string; serverPort?: number} | undefined,
): boolean {
  return Boolean(gossip?.serverIp) && ip === gossip?.serverIp && port === gossip?.serverPort
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
