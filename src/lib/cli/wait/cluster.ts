import type {ApiClient} from '../../client/api/client.js'
import type {CreateClusterRequest} from '../../contract/models.js'
import {clusterIdKind, clusterKind} from '../output/kinds.js'
import type {Printer} from '../output/printer.js'
import {longerTiming, type WaitTiming, timingArgs} from './flags.js'
import {awaitOperation, clusterStatus} from './operations.js'
import {reattachCommand} from './outcome.js'

/** Polls a cluster until it is available (exit codes as any wait), then prints it. */
export async function awaitCluster(api: ApiClient, printer: Printer, orgId: string, projectId: string, id: string, timing: WaitTiming): Promise<void> {
  await awaitOperation({
    label: `cluster ${id}`,
    reattach: reattachCommand('mesdb clusters wait', id, orgId, projectId, timingArgs(timing)),
    reattachAfterTimeout: reattachCommand('mesdb clusters wait', id, orgId, projectId, timingArgs(longerTiming(timing))),
    ...timing,
    fetch: () => api.getCluster(orgId, projectId, id),
    select: (res) => res.data.cluster,
    ...clusterStatus,
    print: (res) => printer.item(clusterKind, res.data.cluster, res),
  })
}

/** Creates a cluster (a restore when the body names a source backup); prints its id, or with `wait` the available cluster. */
export async function createCluster(
  api: ApiClient, printer: Printer, orgId: string, projectId: string, body: CreateClusterRequest, options: {wait: boolean; timing: WaitTiming},
): Promise<void> {
  const created = await api.createCluster(orgId, projectId, body)
  if (!options.wait) {
    await printer.created(clusterIdKind, created)
    return
  }
  await awaitCluster(api, printer, orgId, projectId, created.data.id, options.timing)
}
