import type {ApiClient, ApiResponse} from '../../client/api/client.js'
import type {GetNetworkResponse, Network} from '../../contract/infra.js'
import {networkKind} from '../output/infra.js'
import type {Printer} from '../output/printer.js'
import {awaitOperation} from '../wait/operations.js'
import {longerTiming, timingArgs, type WaitTiming} from '../wait/flags.js'
import {reattachCommand} from '../wait/outcome.js'
import {httpStatusOf} from '../wait/transient.js'

interface Target {
  orgId: string
  projectId: string
  id: string
}

/** What `esc infra networks wait` waits for. */
export const NETWORK_WAIT_TARGETS = ['available', 'deleted'] as const
export type NetworkWaitTarget = (typeof NETWORK_WAIT_TARGETS)[number]

/** `esc infra networks wait …` with the same target and timing (a longer timeout after a timeout). */
function reattach(t: Target, until: NetworkWaitTarget, timing: WaitTiming) {
  const untilArgs = until === 'available' ? [] : ['--until', until]
  return {
    reattach: reattachCommand('infra networks wait', t.id, t.orgId, t.projectId, [...untilArgs, ...timingArgs(timing)]),
    reattachAfterTimeout: reattachCommand('infra networks wait', t.id, t.orgId, t.projectId, [
      ...untilArgs,
      ...timingArgs(longerTiming(timing)),
    ]),
  }
}

/** A created network is usable once `available`; these mean it never will be. */
const CREATE_FAILED = new Set(['defunct', 'deleting', 'deleted'])

/** Polls a new network until it is `available` (exit 5 if it fails, 4 on timeout), then prints it. */
export async function awaitNetworkAvailable(api: ApiClient, printer: Printer, t: Target, timing: WaitTiming): Promise<void> {
  await awaitOperation({
    label: `network ${t.id}`,
    ...reattach(t, 'available', timing),
    ...timing,
    fetch: () => api.infra.getNetwork(t.orgId, t.projectId, t.id),
    select: (res) => res.data.network,
    statusOf: (n: Network) => String(n.status),
    isDone: (n) => n.status === 'available',
    isFailed: (n) => CREATE_FAILED.has(String(n.status)),
    print: (res) => printer.item(networkKind, res.data.network, res),
  })
}

type Poll = ApiResponse<GetNetworkResponse> | 'gone'

/**
 * Polls a network being deleted until the API no longer finds it (404) or lists it as `deleted`;
 * `defunct` means the delete failed (exit 5). Prints nothing: a delete has no result.
 */
export async function awaitNetworkGone(api: ApiClient, t: Target, timing: WaitTiming): Promise<void> {
  const statusOf = (p: Poll) => (p === 'gone' ? 'deleted' : String(p.data.network.status))
  await awaitOperation<Poll, Poll>({
    label: `network ${t.id}`,
    ...reattach(t, 'deleted', timing),
    ...timing,
    async fetch() {
      try {
        return await api.infra.getNetwork(t.orgId, t.projectId, t.id)
      } catch (error) {
        if (httpStatusOf(error) === 404) return 'gone'
        throw error
      }
    },
    select: (p) => p,
    statusOf,
    isDone: (p) => statusOf(p) === 'deleted',
    isFailed: (p) => statusOf(p) === 'defunct',
    print: async () => {},
  })
}
