/**
 * The `/infra/v1/organizations/{o}/projects/{p}/…` contract: networks, ACLs (IP access lists) and
 * peerings. JSON schemas of the request bodies and answers, the statuses, and the wire types
 * inferred from them. The local cloud validates with the request schemas; the client decodes the
 * answers leniently with the response schemas (unknown fields and statuses pass through).
 *
 * Properties are listed in the order the official CLI serializes (requests) or checks (answers) them.
 */
import type {FromSchema} from 'json-schema-to-ts'

import {PROVIDERS} from './enums.js'
import {ID_PATTERN} from './ids.js'

const string = {type: 'string'} as const
const boolean = {type: 'boolean'} as const
const idSchema = {type: 'string', pattern: ID_PATTERN} as const
/**
 * Network, ACL and peering ids are opaque: state directories made before networks were real carry
 * the invented network id `local`, which must stay addressable.
 */
const resourceId = {type: 'string', minLength: 1, maxLength: 128} as const
const text = {type: 'string', minLength: 1, maxLength: 1024} as const
/** An IPv4 address with an optional prefix length; the official CLI sends a bare address for a /32. */
export const CIDR_PATTERN = '^[0-9]{1,3}(\\.[0-9]{1,3}){3}(/[0-9]{1,2})?$'
const cidr = {type: 'string', pattern: CIDR_PATTERN} as const

/** Network statuses: `provisioning` → `available`; a delete goes `deleting` → `deleted`; `defunct` on failure. */
export const NETWORK_STATUSES = ['provisioning', 'defunct', 'available', 'deleting', 'deleted'] as const
/** The statuses a network wait ends on after a create. */
export const NETWORK_FINAL_STATUSES = ['available', 'defunct', 'deleted'] as const
export const ACL_STATUSES = ['active', 'deleted'] as const
export const PEERING_STATUSES = ['provisioning', 'initiated', 'active', 'defunct', 'deleting', 'deleted', 'unknown'] as const
/** The providers `--provider` accepts (the same list clusters use). */
export const NETWORK_PROVIDERS = PROVIDERS

// ---- requests ----

export const infraParams = {
  type: 'object',
  required: ['organizationId', 'projectId'],
  properties: {organizationId: idSchema, projectId: idSchema},
} as const

export const networkParams = {
  type: 'object',
  required: ['organizationId', 'projectId', 'networkId'],
  properties: {organizationId: idSchema, projectId: idSchema, networkId: resourceId},
} as const

export const aclParams = {
  type: 'object',
  required: ['organizationId', 'projectId', 'aclId'],
  properties: {organizationId: idSchema, projectId: idSchema, aclId: resourceId},
} as const

export const peeringParams = {
  type: 'object',
  required: ['organizationId', 'projectId', 'peeringId'],
  properties: {organizationId: idSchema, projectId: idSchema, peeringId: resourceId},
} as const

/** `cidrBlock` is omitted when `--cidr-block` is absent; `publicAccess` is always sent. */
export const createNetworkBody = {
  type: 'object',
  required: ['description', 'provider', 'publicAccess', 'region'],
  properties: {
    cidrBlock: cidr,
    description: text,
    provider: {type: 'string', enum: PROVIDERS},
    publicAccess: boolean,
    region: text,
  },
} as const

/** Only the description of a network can change. */
export const updateNetworkBody = {
  type: 'object',
  required: ['description'],
  properties: {description: text},
} as const

/** One entry of an ACL: `comment` is omitted when `--cidr-blocks` had no comma. */
export const cidrBlockBody = {
  type: 'object',
  required: ['address'],
  properties: {address: cidr, comment: {type: 'string', maxLength: 1024}},
} as const

export const createAclBody = {
  type: 'object',
  required: ['cidrBlocks', 'description'],
  properties: {cidrBlocks: {type: 'array', items: cidrBlockBody}, description: text},
} as const

/** `cidrBlocks` is always sent and replaces the list (`[]` empties it); `description` only when given. */
export const updateAclBody = {
  type: 'object',
  required: ['cidrBlocks'],
  properties: {cidrBlocks: {type: 'array', items: cidrBlockBody}, description: text},
} as const

/** `networkId` is `""` when `--network-id` is absent (the official CLI's default). */
export const createPeeringBody = {
  type: 'object',
  required: ['networkId', 'description', 'peerAccountId', 'peerNetworkId', 'peerNetworkRegion', 'routes'],
  properties: {
    networkId: {type: 'string', maxLength: 128},
    description: text,
    peerAccountId: text,
    peerNetworkId: text,
    peerNetworkRegion: text,
    routes: {type: 'array', items: {type: 'string', maxLength: 64}},
  },
} as const

export const updatePeeringBody = {
  type: 'object',
  required: ['description'],
  properties: {description: text},
} as const

/** What the provider side must run to accept a peering (asked after a failed peering create). */
export const peeringCommandsBody = {
  type: 'object',
  required: ['provider', 'peerAccountId', 'peerNetworkId'],
  properties: {provider: text, peerAccountId: text, peerNetworkId: text},
} as const

// ---- answers ----

/**
 * `cidrBlock` is optional in the schema, but the official CLI crashes on a network without one in
 * its `cli` and `json` outputs: a server should always send it.
 */
export const networkSchema = {
  type: 'object',
  required: ['created', 'description', 'id', 'projectId', 'provider', 'publicAccess', 'region', 'status'],
  properties: {
    cidrBlock: string,
    /** Kept as the string the API sent. */
    created: string,
    description: string,
    id: string,
    projectId: string,
    provider: string,
    publicAccess: boolean,
    region: string,
    status: string,
  },
} as const

export const cidrBlockSchema = {
  type: 'object',
  required: ['address'],
  properties: {address: string, comment: string},
} as const

export const aclSchema = {
  type: 'object',
  required: ['cidrBlocks', 'created', 'description', 'id', 'projectId', 'status'],
  properties: {
    cidrBlocks: {type: 'array', items: cidrBlockSchema},
    created: string,
    description: string,
    id: string,
    projectId: string,
    status: string,
    updated: string,
  },
} as const

export const peeringSchema = {
  type: 'object',
  required: [
    'created',
    'description',
    'id',
    'networkId',
    'networkCidrBlock',
    'projectId',
    'provider',
    'peerAccountId',
    'peerNetworkId',
    'peerNetworkRegion',
    'routes',
    'status',
  ],
  properties: {
    created: string,
    description: string,
    id: string,
    networkId: string,
    networkCidrBlock: string,
    projectId: string,
    provider: string,
    peerAccountId: string,
    peerNetworkId: string,
    peerNetworkRegion: string,
    providerPeeringMetadata: {type: 'object', additionalProperties: string},
    routes: {type: 'array', items: string},
    status: string,
  },
} as const

export const peeringCommandSchema = {
  type: 'object',
  required: ['language', 'title', 'value'],
  properties: {fileName: string, language: string, title: string, value: string},
} as const

export const getNetworkSchema = {type: 'object', required: ['network'], properties: {network: networkSchema}} as const
export const listNetworksSchema = {
  type: 'object',
  required: ['networks'],
  properties: {networks: {type: 'array', items: networkSchema}},
} as const
export const getAclSchema = {type: 'object', required: ['acl'], properties: {acl: aclSchema}} as const
export const listAclsSchema = {type: 'object', required: ['acls'], properties: {acls: {type: 'array', items: aclSchema}}} as const
export const getPeeringSchema = {type: 'object', required: ['peering'], properties: {peering: peeringSchema}} as const
export const listPeeringsSchema = {
  type: 'object',
  required: ['peerings'],
  properties: {peerings: {type: 'array', items: peeringSchema}},
} as const
export const peeringCommandsSchema = {
  type: 'object',
  required: ['commands'],
  properties: {commands: {type: 'array', items: peeringCommandSchema}},
} as const

// ---- types ----

type Open<T extends string> = T | (string & {})
/** `T` with the types of the fields named in `E` replaced (optional stays optional, extras stay). */
type With<T, E> = {[K in keyof T]: K extends keyof E ? E[K] : T[K]}
/** `T` without its index signature: request bodies carry only the fields they name. */
type Known<T> = {[K in keyof T as string extends K ? never : number extends K ? never : K]: T[K]}

export type NetworkStatus = Open<(typeof NETWORK_STATUSES)[number]>
export type AclStatus = Open<(typeof ACL_STATUSES)[number]>
export type PeeringStatus = Open<(typeof PEERING_STATUSES)[number]>

export type CreateNetworkRequest = Known<FromSchema<typeof createNetworkBody>>
export type UpdateNetworkRequest = Known<FromSchema<typeof updateNetworkBody>>
export type CidrBlockRequest = Known<FromSchema<typeof cidrBlockBody>>
export interface CreateAclRequest {
  cidrBlocks: CidrBlockRequest[]
  description: string
}
export interface UpdateAclRequest {
  cidrBlocks: CidrBlockRequest[]
  description?: string
}
export type CreatePeeringRequest = Known<FromSchema<typeof createPeeringBody>>
export type UpdatePeeringRequest = Known<FromSchema<typeof updatePeeringBody>>
export type PeeringCommandsRequest = Known<FromSchema<typeof peeringCommandsBody>>

export type Network = With<FromSchema<typeof networkSchema>, {status: NetworkStatus}>
export type CidrBlock = FromSchema<typeof cidrBlockSchema>
export type Acl = With<FromSchema<typeof aclSchema>, {status: AclStatus}>
export type Peering = With<FromSchema<typeof peeringSchema>, {status: PeeringStatus}>
export type PeeringCommand = FromSchema<typeof peeringCommandSchema>
export interface GetNetworkResponse {
  network: Network
}
export interface ListNetworksResponse {
  networks: Network[]
}
export interface GetAclResponse {
  acl: Acl
}
export interface ListAclsResponse {
  acls: Acl[]
}
export interface GetPeeringResponse {
  peering: Peering
}
export interface ListPeeringsResponse {
  peerings: Peering[]
}
export interface PeeringCommandsResponse {
  commands: PeeringCommand[]
}
