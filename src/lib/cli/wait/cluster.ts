import type {ApiClient, ApiResponse} from '../../client/api/client.js'
import type {CreateClusterRequest} from '../../contract/models.js'
import {clusterIdKind, clusterKind} from '../output/kinds.js'
import type {Printer} from '../output/printer.js'
import {longerTiming, type WaitTiming, timingArgs} from './flags.js'
import {awaitOperation, type ClusterWaitTarget, clusterStatusUntil} from './operations.js'
import {reattachCommand} from './outcome.js'

/** Polls a cluster until it is available, or `until` (exit codes as any wait), then prints it. */
export async function awaitCluster(
  api: ApiClient,
  printer: Printer,
  orgId: string,
  projectId: string,
  id: string,
  timing: WaitTiming,
  until: ClusterWaitTarget = 'available',
): Promise<void> {
  const untilArgs = until === 'available' ? [] : ['--until', until]
  await awaitOperation({
    label: `cluster ${id}`,
    reattach: reattachCommand('mesdb clusters wait', id, orgId, projectId, [...untilArgs, ...timingArgs(timing)]),
    reattachAfterTimeout: reattachCommand('mesdb clusters wait', id, orgId, projectId, [...untilArgs, ...timingArgs(longerTiming(timing))]),
    ...timing,
    fetch: () => api.getCluster(orgId, projectId, id),
    select: (res) => res.data.cluster,
    ...clusterStatusUntil(until),
    print: (res) => printer.item(clusterKind, res.data.cluster, res),
  })
}

/** Creates a cluster (a restore when the body names a source backup); prints its id, or with `wait` the available cluster. */
export async function createCluster(
  api: ApiClient,
  printer: Printer,
  orgId: string,
  projectId: string,
  body: CreateClusterRequest,
  options: {wait: boolean; timing: WaitTiming},
): Promise<void> {
  const created = await api.createCluster(orgId, projectId, body)
  if (!options.wait) {
    await printer.created(clusterIdKind, created)
    return
  }
  await awaitCluster(api, printer, orgId, projectId, created.data.id, options.timing)
}

/**
 * A change to an existing cluster (update, expand, resize, upgrade, stop, start): sends it, then
 * prints nothing (the API formats show the exchange), or with `wait` polls until the cluster is
 * `until` again and prints it. The cloud answers before the change is done, so without waiting
 * the cluster may still show its old settings.
 */
export async function changeCluster(
  api: ApiClient,
  printer: Printer,
  target: {orgId: string; projectId: string; id: string},
  send: () => Promise<ApiResponse<unknown>>,
  options: {wait: boolean; timing: WaitTiming; until?: ClusterWaitTarget},
): Promise<void> {
  const res = await send()
  if (!options.wait) {
    await printer.done(res)
    return
  }
  await awaitCluster(api, printer, target.orgId, target.projectId, target.id, options.timing, options.until)
}
