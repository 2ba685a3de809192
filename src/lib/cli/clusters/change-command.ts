import type {Interfaces} from '@oclif/core'

import type {ApiClient, ApiResponse} from '../../client/api/client.js'
import {CloudCommand, type CommandFlags, idFlag, orgFlag, projectFlag, quietFlag} from '../base-cloud-command.js'
import {changeCluster} from '../wait/cluster.js'
import {waitFlags, waitTiming} from '../wait/flags.js'
import type {ClusterWaitTarget} from '../wait/operations.js'

/** The cluster a change is sent to. */
export interface ClusterTarget {
  orgId: string
  projectId: string
  id: string
}

/**
 * The flags of a command that changes one cluster and may wait for it: the cluster's org, project
 * and `-i` (`verb` completes "Id of the cluster you want to …"), the command's `own` flags, then
 * `--wait` (until `waitUntil`) with its timing flags and `-q`. The order is the one help shows.
 */
export function clusterChangeFlags<F extends Interfaces.FlagInput>(verb: string, waitUntil: string, own: F = {} as F) {
  return {
    'org-id': orgFlag('The organization id the cluster relates to'),
    'project-id': projectFlag('The project id the cluster relates to'),
    id: idFlag(`Id of the cluster you want to ${verb}`),
    ...own,
    ...waitFlags(waitUntil),
    quiet: quietFlag,
  }
}

type ClusterChangeFlags = CommandFlags & {id: string; wait: boolean; timeout?: number; 'poll-interval'?: number}

/**
 * The base of the commands that send one change to an existing cluster (start, stop, resize,
 * upgrade): the command only says what to send and, where it is not `available`, the status
 * `--wait` waits for.
 */
export abstract class ClusterChangeCommand extends CloudCommand {
  /**
   * Checks the timing flags (a usage error comes before any request), resolves the org and project,
   * sends `send`'s request, then prints as `changeCluster` does (with `--wait`, the cluster once it is `until`).
   */
  protected async sendChange(
    flags: ClusterChangeFlags,
    send: (api: ApiClient, cluster: ClusterTarget) => Promise<ApiResponse<unknown>>,
    until?: ClusterWaitTarget,
  ): Promise<void> {
    const timing = waitTiming(flags, this.clocks.wait)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const target = {orgId, projectId, id: flags.id}
    await changeCluster(api, await this.output(flags), target, () => send(api, target), {
      wait: flags.wait,
      timing,
      ...(until ? {until} : {}),
    })
  }
}
