import type {CreateClusterRequest} from '../../contract/models.js'
import {createClusterBody} from '../../contract/requests.js'

export {PROJECTION_LEVELS, TOPOLOGIES} from '../../contract/enums.js'

/** The fields of a cluster create request, before ordering (undefined = not given = omitted). */
export type ClusterRequestFields = Partial<Record<keyof CreateClusterRequest, string | number | boolean | undefined>>

/** The official CLI's serialization order of CreateClusterRequest: the contract schema lists them so. */
const KEY_ORDER = Object.keys(createClusterBody.properties) as Array<keyof CreateClusterRequest>

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
