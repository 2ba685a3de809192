import type {FastifyTypeProvider} from 'fastify'
import type {FromSchema, JSONSchema} from 'json-schema-to-ts'

export {
  backupParams,
  clusterParams,
  createBackupBody,
  createClusterBody,
  createJobBody,
  expandClusterBody,
  historyQuery,
  jobParams,
  projectParams,
  resizeClusterBody,
  updateClusterBody,
  upgradeClusterBody,
} from '../../contract/requests.js'

/**
 * Types a route's request from its JSON schemas: the body, params and query a handler reads are
 * the types inferred from the schemas fastify validated them with (types only, no run-time cost).
 */
export interface SchemaTypeProvider extends FastifyTypeProvider {
  readonly validator: this['schema'] extends JSONSchema ? FromSchema<this['schema']> : unknown
  readonly serializer: this['schema'] extends JSONSchema ? FromSchema<this['schema']> : unknown
}

/**
 * JSON schemas of the request bodies of the local cloud's own endpoints (`/local/v1/…`, not part of
 * the Kurrent Cloud API). Optional fields may be omitted; unknown fields are ignored.
 */
const text = {type: 'string', minLength: 1, maxLength: 1024} as const

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
