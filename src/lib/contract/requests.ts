import {JOB_TYPES, PROJECTION_LEVELS, PROVIDERS, TOPOLOGIES} from './enums.js'
import {ID_PATTERN} from './ids.js'

/**
 * JSON schemas of the request side of the API: path parameters, query strings and bodies. The local
 * cloud validates with them; the client's request types are inferred from them (models.ts). Optional
 * fields may be omitted (never null); unknown fields are ignored, as the cloud does.
 */
export const idSchema = {type: 'string', pattern: ID_PATTERN} as const
const text = {type: 'string', minLength: 1, maxLength: 1024} as const
const positiveInt = {type: 'integer', minimum: 1, maximum: 2_147_483_647} as const

export const projectParams = {
  type: 'object',
  required: ['organizationId', 'projectId'],
  properties: {organizationId: idSchema, projectId: idSchema},
} as const

function withId<Name extends string>(name: Name) {
  return {
    type: 'object',
    required: ['organizationId', 'projectId', name],
    properties: {organizationId: idSchema, projectId: idSchema, ...({[name]: idSchema} as {[K in Name]: typeof idSchema})},
  } as const
}

export const backupParams = withId('backupId')
export const clusterParams = withId('clusterId')
export const jobParams = withId('jobId')

export const historyQuery = {
  type: 'object',
  properties: {jobId: idSchema},
} as const

export const createBackupBody = {
  type: 'object',
  required: ['description', 'sourceClusterId'],
  properties: {description: text, sourceClusterId: idSchema},
} as const

/** Properties in the order the official CLI serializes them (request bodies keep it). */
export const createClusterBody = {
  type: 'object',
  required: ['description', 'diskSizeGb', 'diskType', 'instanceType', 'networkId', 'projectionLevel', 'serverVersion', 'topology'],
  properties: {
    aclId: text,
    description: text,
    diskSizeGb: positiveInt,
    diskType: text,
    diskIops: positiveInt,
    diskThroughput: positiveInt,
    instanceType: text,
    networkId: text,
    projectionLevel: {type: 'string', enum: PROJECTION_LEVELS},
    provider: {type: 'string', enum: PROVIDERS},
    region: text,
    serverVersion: text,
    sourceBackupId: idSchema,
    sourceNodeIndex: {type: 'integer', minimum: 0, maximum: 4},
    topology: {type: 'string', enum: TOPOLOGIES},
    protected: {type: 'boolean'},
    publicAccess: {type: 'boolean'},
    sourceBackupProjectId: idSchema,
  },
} as const

export const scheduledBackupDataBody = {
  type: 'object',
  required: ['clusterId', 'description', 'maxBackupCount'],
  properties: {clusterId: idSchema, description: text, maxBackupCount: {type: 'integer', minimum: 1, maximum: 1000}},
} as const

export const createJobBody = {
  type: 'object',
  required: ['type', 'data', 'description', 'schedule'],
  properties: {
    type: {type: 'string', const: JOB_TYPES[0]},
    data: scheduledBackupDataBody,
    description: text,
    schedule: {type: 'string', minLength: 1, maxLength: 100},
  },
} as const

/** `clusters update`: every field optional (`{}` is a valid, empty update), in the official CLI's order. */
export const updateClusterBody = {
  type: 'object',
  properties: {aclId: text, description: text, protected: {type: 'boolean'}},
} as const

/** `clusters expand`: the new disk size (never smaller than the current one; the server checks). */
export const expandClusterBody = {
  type: 'object',
  required: ['diskSizeGb'],
  properties: {diskSizeGb: positiveInt, diskIops: positiveInt, diskThroughput: positiveInt, diskType: text},
} as const

/** `clusters resize`: the target instance type (e.g. C4, M8). */
export const resizeClusterBody = {
  type: 'object',
  required: ['targetSize'],
  properties: {targetSize: text},
} as const

/** `clusters upgrade`: the target server version, in full (e.g. 23.10.1). */
export const upgradeClusterBody = {
  type: 'object',
  required: ['targetTag'],
  properties: {targetTag: text},
} as const
