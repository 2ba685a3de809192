import {ApiProblem} from './api/problems.js'
import type {ClusterSpec} from './models.js'
import {type ClusterRow, clusterSpec} from './store/clusters.js'

/**
 * The changes of an existing cluster that take time (expand, resize, upgrade, stop, start): the
 * rules that refuse a request before anything changes, and what each change does to the cluster.
 * The runner applies them under the cluster's operation lock (operations.ts).
 */
export type ChangeKind = 'expand' | 'resize' | 'upgrade' | 'stop' | 'start'

export interface ClusterChange {
  kind: ChangeKind
  /** The status the cluster must have for the change to start. */
  from: string
  /** The status it shows while the change runs (one of the API's cluster statuses). */
  busy: string
  /** The status it ends with. */
  to: string
  /** The new spec, applied only when the change succeeds. */
  apply: (spec: ClusterSpec) => ClusterSpec
}

/** The instance types a cluster can be resized to (the cloud's documented sizes). */
export const INSTANCE_TYPES = ['F1', 'C4', 'M8', 'M16', 'M32', 'M64', 'M128'] as const

/** The server versions the local cloud offers for an upgrade (full versions, as the upgrade asks). */
export const SERVER_VERSIONS = ['23.10.0', '23.10.1', '23.10.2', '24.10.0', '24.10.1', '24.10.2', '25.0.0', '25.0.1'] as const

/** Status a cluster shows while each change runs: the statuses the API documents for them. */
const BUSY: Record<ChangeKind, string> = {
  expand: 'expanding disks',
  resize: 'resizing',
  upgrade: 'upgrading',
  stop: 'stopping',
  start: 'starting',
}

/** Every status a cluster shows while a change runs. */
export const BUSY_STATUSES: readonly string[] = Object.values(BUSY)

/** The status a change was started from, for crash recovery: starting began from stopped, the rest from available. */
export function statusBefore(busy: string): string | undefined {
  if (busy === BUSY.start) return 'stopped'
  return Object.values(BUSY).includes(busy) ? 'available' : undefined
}

const invalid = (field: string, why: string) => new ApiProblem(400, `invalid body: ${field}`, {[field]: why})

export function expandChange(
  row: ClusterRow,
  body: {diskSizeGb: number; diskIops?: number; diskThroughput?: number; diskType?: string},
): ClusterChange {
  const current = clusterSpec(row).diskSizeGb
  if (body.diskSizeGb <= current) {
    throw invalid('diskSizeGb', `must be larger than the current ${current} GB (a disk is never shrunk)`)
  }
  return {
    kind: 'expand',
    from: 'available',
    busy: BUSY.expand,
    to: 'available',
    apply: (spec) => ({
      ...spec,
      diskSizeGb: body.diskSizeGb,
      diskIops: body.diskIops ?? spec.diskIops,
      diskThroughput: body.diskThroughput ?? spec.diskThroughput,
      diskType: body.diskType ?? spec.diskType,
    }),
  }
}

export function resizeChange(body: {targetSize: string}): ClusterChange {
  const size = INSTANCE_TYPES.find((t) => t === body.targetSize.toUpperCase())
  if (!size) throw invalid('targetSize', `must be one of ${INSTANCE_TYPES.join(', ')}`)
  return {kind: 'resize', from: 'available', busy: BUSY.resize, to: 'available', apply: (spec) => ({...spec, instanceType: size})}
}

export function upgradeChange(body: {targetTag: string}): ClusterChange {
  if (!(SERVER_VERSIONS as readonly string[]).includes(body.targetTag)) {
    throw invalid('targetTag', `must be a version the local cloud offers: ${SERVER_VERSIONS.join(', ')}`)
  }
  return {
    kind: 'upgrade',
    from: 'available',
    busy: BUSY.upgrade,
    to: 'available',
    apply: (spec) => ({...spec, serverVersion: body.targetTag}),
  }
}

export function stopChange(): ClusterChange {
  return {kind: 'stop', from: 'available', busy: BUSY.stop, to: 'stopped', apply: (spec) => spec}
}

export function startChange(): ClusterChange {
  return {kind: 'start', from: 'stopped', busy: BUSY.start, to: 'available', apply: (spec) => spec}
}

const DONE: Record<ChangeKind, string> = {expand: 'expanded', resize: 'resized', upgrade: 'upgraded', stop: 'stopped', start: 'started'}

/** A change asked of a cluster in the wrong status (e.g. start an available one). */
export function wrongStatus(row: ClusterRow, change: ClusterChange): ApiProblem {
  return new ApiProblem(409, `cluster ${row.id} is ${row.status}; only a ${change.from} cluster can be ${DONE[change.kind]}`)
}
