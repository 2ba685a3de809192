import type {CreateClusterRequest} from '../../contract/models.js'

/** The fields of a cluster create request, before ordering (undefined = not given = omitted). */
export type ClusterRequestFields = Partial<Record<keyof CreateClusterRequest, string | number | boolean | undefined>>

/**
 * The key order the Rust esc serializes a CreateClusterRequest in (its struct's field order), kept
 * so request bodies and `--dry-run` output match it byte for byte.
 */
const KEY_ORDER: Array<keyof CreateClusterRequest> = [
  'aclId', 'description', 'diskSizeGb', 'diskType', 'diskIops', 'diskThroughput', 'instanceType', 'networkId',
  'projectionLevel', 'provider', 'region', 'serverVersion', 'sourceBackupId', 'sourceNodeIndex', 'topology',
  'protected', 'publicAccess', 'sourceBackupProjectId',
]

/**
 * Builds the body of `POST …/clusters` in esc's key order, leaving out every field that is not set
 * (the API gets no `null`s). Callers make sure the required fields are present.
 */
export function clusterRequest(fields: ClusterRequestFields): CreateClusterRequest {
  const body: Record<string, unknown> = {}
  for (const key of KEY_ORDER) {
    const value = fields[key]
    if (value !== undefined) body[key] = value
  }
  return body as unknown as CreateClusterRequest
}

/** `--public-access true|false`, `--protected true|false`: esc's flags take a value. */
export function parseBoolFlag(value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : value === 'true'
}

export const TOPOLOGIES = ['single-node', 'three-node-multi-zone'] as const
export const PROJECTION_LEVELS = ['off', 'system', 'user'] as const
