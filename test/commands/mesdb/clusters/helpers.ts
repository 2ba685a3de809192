/**
 * Shared set-up for the cluster, restore, wait and orchestrate command tests: a temp home, nock,
 * CI=1 (progress as plain lines) and a virtual wait clock (no real sleeping between polls) given
 * to each command run through `esc`.
 */
import nock from 'nock'

import type {Backup, Cluster, HistoryItem, Job} from '../../../../src/lib/contract/models.js'
import type {WaitClock} from '../../../../src/lib/core/clock.js'
import * as bodies from '../../../lib/client/api/fixtures.js'
import {runCli, type RunOptions, type RunResult} from '../../../support/run-cli.js'
import {tmpHome, type TmpHome} from '../../../support/tmp-home.js'

export const API = 'http://127.0.0.1:2180'
export const ORG = 'bt77lfqrh41scaatc180'
export const PROJECT = 'c10d0h2rh41lba1v92k0'
export const MESDB = `/mesdb/v1/organizations/${ORG}/projects/${PROJECT}`
export const ORCHESTRATE = `/orchestrate/v1/organizations/${ORG}/projects/${PROJECT}`

/** The restore example of the docs, into PROJECT, and the body esc sends for it (key order included). */
export const DOCS_RESTORE = [
  'mesdb',
  'clusters',
  'create',
  '--description',
  'restore',
  '--source-backup-id',
  'c10dvoarh41lb9otkdrg',
  '--instance-type',
  'F1',
  '--disk-size-in-gb',
  '10',
  '--disk-type',
  'gp3',
  '--network-id',
  'c10dr5qrh41lbabqa2j0',
  '--projection-level',
  'off',
  '--server-version',
  '24.10',
  '--topology',
  'single-node',
  '--project-id',
  PROJECT,
]
export const DOCS_RESTORE_BODY =
  '{"description":"restore","diskSizeGb":10,"diskType":"gp3","instanceType":"F1","networkId":"c10dr5qrh41lbabqa2j0",' +
  '"projectionLevel":"off","serverVersion":"24.10","sourceBackupId":"c10dvoarh41lb9otkdrg","topology":"single-node"}'

export interface VirtualClock {
  /** Virtual ms since the test started. */
  now: number
  /** Every sleep the command asked for, in order. */
  sleeps: number[]
  /** Called at each sleep, before it returns (e.g. to simulate Ctrl-C mid-wait). */
  onSleep?: (ms: number) => void
}

export interface CommandEnv {
  env: () => Record<string, string | undefined>
  clock: () => VirtualClock
  home: () => TmpHome
  /** runCli with this test's virtual clock in the command's waits. */
  esc: (argv: string[], options?: RunOptions) => Promise<RunResult>
}

/**
 * Temp home (default profile with the org only, like the docs), nock, ESC_ACCESS_TOKEN, CI=1, and a
 * virtual clock for the waits of the commands `esc` runs: `sleep(ms)` returns at once and advances `now` by ms.
 */
export function useCommandEnv(): CommandEnv {
  let home: TmpHome
  let clock: VirtualClock = {now: 0, sleeps: []}
  let waitClock: WaitClock
  before(async () => {
    home = await tmpHome({profile: {orgId: ORG}, token: false})
    nock.disableNetConnect()
  })
  beforeEach(() => {
    const virtual: VirtualClock = {now: 1_700_000_000_000, sleeps: []}
    clock = virtual
    waitClock = {
      now: () => virtual.now,
      sleep: async (ms: number, signal?: AbortSignal) => {
        if (signal?.aborted) throw Object.assign(new Error('aborted'), {name: 'AbortError'})
        virtual.sleeps.push(ms)
        virtual.onSleep?.(ms)
        if (signal?.aborted) throw Object.assign(new Error('aborted'), {name: 'AbortError'})
        virtual.now += ms
      },
    }
  })
  afterEach(() => {
    nock.cleanAll()
  })
  after(async () => {
    nock.enableNetConnect()
    await home.cleanup()
  })
  return {
    home: () => home,
    clock: () => clock,
    env: () => ({
      ...home.env,
      ESC_API_URL: API,
      ESC_ACCESS_TOKEN: 'tok',
      ESC_ORG_ID: undefined,
      ESC_PROJECT_ID: undefined,
      ESC_PROFILE: undefined,
      ESC_HTTP_TIMEOUT: undefined,
      ESC_REFRESH_TOKEN: undefined,
      ESC_DEBUG: undefined,
      CI: '1',
    }),
    esc: (argv, options = {}) => runCli(argv, {clock: waitClock, ...options}),
  }
}

// The bodies are fixtures.ts's, in the restore example's project (PROJECT) with its ids.
const JOB_ID = 'c1jobjobjob0aeu6ojco'

export function cluster(overrides: Partial<Cluster> = {}): Cluster {
  return bodies.cluster({projectId: PROJECT, serverVersionTag: '24.10.0', ...overrides})
}

export function backup(overrides: Partial<Backup> = {}): Backup {
  return bodies.backup({id: 'c10dvoarh41lb9otkdrg', projectId: PROJECT, region: 'eu-west-2', serverVersionTag: '24.10.0', ...overrides})
}

export function job(overrides: Partial<Job> = {}): Job {
  return bodies.job({id: JOB_ID, projectId: PROJECT, ...overrides})
}

export function historyItem(overrides: Partial<HistoryItem> = {}): HistoryItem {
  return bodies.historyItem({projectId: PROJECT, jobId: JOB_ID, ...overrides})
}

export const problem = (status: number, title: string, detail?: string, fields?: Record<string, string>) => ({
  type: 'https://kurrent.io/problems/x',
  title,
  status,
  ...(detail ? {detail} : {}),
  instance: '/x',
  ...(fields ? {fields} : {}),
})

/**
 * Replies with `response` and records each request body re-serialized in its received key order,
 * so a test can compare it byte for byte with esc's (key order included).
 */
export function capture(response: unknown, status = 200): {bodies: string[]; reply: (uri: string, body: unknown) => [number, unknown]} {
  const bodies: string[] = []
  return {
    bodies,
    reply: (_uri: string, body: unknown) => {
      bodies.push(typeof body === 'string' ? body : JSON.stringify(body))
      return [status, response]
    },
  }
}
