/**
 * The enumerations of the API, each written once. The lists a client sends from are closed (the
 * values the official CLI accepts); the values the API answers with stay open in the decoded types
 * (see models.ts), because a status the API adds later must not break decoding.
 */

/**
 * The topologies a cluster can be created with. The API's newer schema also names `three-node` and
 * `five-node`, but the official CLI accepts only these two, so `--topology` and the local cloud do too.
 */
export const TOPOLOGIES = ['single-node', 'three-node-multi-zone'] as const
export const PROJECTION_LEVELS = ['off', 'system', 'user'] as const
export const PROVIDERS = ['aws', 'gcp', 'azure'] as const
export const JOB_TYPES = ['ScheduledBackup'] as const

export const BACKUP_STATUSES = ['creating', 'available', 'deleted', 'deleting', 'defunct'] as const
export const CLUSTER_STATUSES = [
  'provisioning',
  'disks available',
  'expanding disks',
  'restarting',
  'available',
  'defunct',
  'inconsistent',
  'upgrading',
  'deleting instances',
  'instances deleted',
  'deleting disks',
  'deleted',
  'resizing',
  'stopping',
  'updating configuration',
  'compute available',
  'installing',
  'starting',
  'deploying',
  'updating',
  'deleting',
] as const
export const HEALTHS = ['degraded', 'down', 'health-reporting-error', 'ok', 'issues-detected'] as const
