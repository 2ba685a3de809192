/**
 * JSON schemas of the API's answers (camelCase as on the wire). The client decodes with them
 * leniently: a required field must be present with its JSON type, while unknown fields and values
 * of the enumerations the API adds later pass through (so statuses are plain strings here).
 * Property order is the order decoding checks them in, so the first bad field is the one reported.
 */
const string = {type: 'string'} as const
const number = {type: 'number'} as const
const boolean = {type: 'boolean'} as const

export const backupSchema = {
  type: 'object',
  required: [
    'id',
    'projectId',
    'sourceClusterId',
    'sourceClusterDescription',
    'description',
    'sizeGb',
    'provider',
    'region',
    'status',
    'created',
  ],
  properties: {
    id: string,
    projectId: string,
    sourceClusterId: string,
    sourceClusterDescription: string,
    description: string,
    sizeGb: number,
    provider: string,
    region: string,
    status: string,
    /** RFC 3339 */
    created: string,
    /** The job that created it (scheduled backups). */
    linkedResource: string,
    // Required by the official CLI's schema but used by no output: tolerated when missing.
    availableNodeCount: number,
    serverVersion: string,
    serverVersionTag: string,
  },
} as const

export const clusterSchema = {
  type: 'object',
  required: [
    'id',
    'organizationId',
    'projectId',
    'networkId',
    'description',
    'provider',
    'region',
    'topology',
    'instanceType',
    'diskSizeGb',
    'diskType',
    'serverVersion',
    'projectionLevel',
    'status',
    'created',
  ],
  properties: {
    id: string,
    organizationId: string,
    projectId: string,
    networkId: string,
    description: string,
    provider: string,
    region: string,
    topology: string,
    instanceType: string,
    diskSizeGb: number,
    diskType: string,
    diskIops: number,
    diskThroughput: number,
    serverVersion: string,
    projectionLevel: string,
    status: string,
    /** RFC 3339 */
    created: string,
    aclId: string,
    // Required by the official CLI's schema but used by no output: tolerated when missing.
    canExpandDisk: boolean,
    cloudIntegratedAuthentication: boolean,
    health: string,
    patchAvailable: boolean,
    protected: boolean,
    publicAccess: boolean,
    serverVersionTag: string,
  },
} as const

export const scheduledBackupDataSchema = {
  type: 'object',
  required: ['clusterId', 'description', 'maxBackupCount'],
  properties: {clusterId: string, description: string, maxBackupCount: number},
} as const

/** `data` has a known shape for `ScheduledBackup` jobs only; decoding checks it for those. */
export const jobSchema = {
  type: 'object',
  required: ['id', 'organizationId', 'projectId', 'description', 'schedule', 'status', 'type', 'data'],
  properties: {
    id: string,
    organizationId: string,
    projectId: string,
    description: string,
    schedule: string,
    status: string,
    type: string,
    data: scheduledBackupDataSchema,
  },
} as const

export const historyItemSchema = {
  type: 'object',
  required: ['id', 'organizationId', 'projectId', 'jobId', 'status', 'details', 'linkedResource', 'startTime'],
  properties: {
    id: string,
    organizationId: string,
    projectId: string,
    jobId: string,
    status: string,
    details: string,
    linkedResource: string,
    /** RFC 3339 */
    startTime: string,
    /** RFC 3339; absent while running. */
    endTime: string,
  },
} as const

/** RFC 7807 problem details as the API sends them. */
export const problemDetailsSchema = {
  type: 'object',
  properties: {
    type: string,
    title: string,
    status: number,
    detail: string,
    instance: string,
    fields: {type: 'object', additionalProperties: string},
  },
} as const

export const createdSchema = {type: 'object', required: ['id'], properties: {id: string}} as const
export const runJobSchema = {type: 'object', properties: {historyId: string}} as const

const listOf = <Key extends string, Item>(key: Key, item: Item) =>
  ({
    type: 'object',
    required: [key],
    properties: {[key]: {type: 'array', items: item}} as {[K in Key]: {type: 'array'; items: Item}},
  }) as const
const oneOf = <Key extends string, Item>(key: Key, item: Item) =>
  ({
    type: 'object',
    required: [key],
    properties: {[key]: item} as {[K in Key]: Item},
  }) as const

export const listBackupsSchema = listOf('backups', backupSchema)
export const getBackupSchema = oneOf('backup', backupSchema)
export const listClustersSchema = listOf('clusters', clusterSchema)
export const getClusterSchema = oneOf('cluster', clusterSchema)
export const listJobsSchema = listOf('jobs', jobSchema)
export const getJobSchema = oneOf('job', jobSchema)
export const listHistorySchema = listOf('items', historyItemSchema)
