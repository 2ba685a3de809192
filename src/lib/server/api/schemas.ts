import {ID_PATTERN} from '../ids.js'

/**
 * JSON schemas of the request bodies and path parameters (validated by fastify's ajv). Optional
 * fields may be omitted; unknown fields are ignored like the cloud does.
 */
const id = {type: 'string', pattern: ID_PATTERN} as const
const text = {type: 'string', minLength: 1, maxLength: 1024} as const

export const projectParams = {
  type: 'object',
  required: ['organizationId', 'projectId'],
  properties: {organizationId: id, projectId: id},
} as const

const withId = (name: string) => ({
  type: 'object',
  required: ['organizationId', 'projectId', name],
  properties: {organizationId: id, projectId: id, [name]: id},
} as const)

export const backupParams = withId('backupId')
export const clusterParams = withId('clusterId')
export const jobParams = withId('jobId')

export const historyQuery = {
  type: 'object',
  properties: {jobId: id},
} as const

export const createBackupBody = {
  type: 'object',
  required: ['description', 'sourceClusterId'],
  properties: {description: text, sourceClusterId: id},
} as const

const positiveInt = {type: 'integer', minimum: 1, maximum: 2_147_483_647} as const

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
    projectionLevel: {type: 'string', enum: ['off', 'system', 'user']},
    provider: {type: 'string', enum: ['aws', 'gcp', 'azure']},
    region: text,
    serverVersion: text,
    sourceBackupId: id,
    sourceNodeIndex: {type: 'integer', minimum: 0, maximum: 4},
    topology: {type: 'string', enum: ['single-node', 'three-node-multi-zone', 'three-node', 'five-node']},
    protected: {type: 'boolean'},
    publicAccess: {type: 'boolean'},
    sourceBackupProjectId: id,
  },
} as const

export const createJobBody = {
  type: 'object',
  required: ['type', 'data', 'description', 'schedule'],
  properties: {
    type: {type: 'string', const: 'ScheduledBackup'},
    data: {
      type: 'object',
      required: ['clusterId', 'description', 'maxBackupCount'],
      properties: {clusterId: id, description: text, maxBackupCount: {type: 'integer', minimum: 1, maximum: 1000}},
    },
    description: text,
    schedule: {type: 'string', minLength: 1, maxLength: 100},
  },
} as const

export const attachClusterBody = {
  type: 'object',
  required: ['db'],
  properties: {
    db: {type: 'string', minLength: 1, maxLength: 4096},
    index: {type: 'string', minLength: 1, maxLength: 4096},
    nodeUrl: {type: 'string', pattern: '^https?://', maxLength: 2048},
    nodeUsername: {type: 'string', maxLength: 1024},
    nodePassword: {type: 'string', maxLength: 1024},
    nodeCaFile: {type: 'string', minLength: 1, maxLength: 4096},
    nodeInsecure: {type: 'boolean'},
    description: text,
  },
} as const

export const demoDataBody = {
  type: 'object',
  properties: {
    description: text,
    chunks: {type: 'integer', minimum: 1, maximum: 10_000},
    chunkSize: {type: 'integer', minimum: 4096, maximum: 268_435_456},
    writer: {type: 'boolean'},
  },
} as const
