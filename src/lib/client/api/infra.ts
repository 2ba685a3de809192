/**
 * `/infra/v1/organizations/{o}/projects/{p}/…`: networks, ACLs and peerings. Reached as `api.infra`.
 */
import type {
  Acl,
  CreateAclRequest,
  CreateNetworkRequest,
  CreatePeeringRequest,
  GetAclResponse,
  GetNetworkResponse,
  GetPeeringResponse,
  ListAclsResponse,
  ListNetworksResponse,
  ListPeeringsResponse,
  Network,
  Peering,
  PeeringCommand,
  PeeringCommandsRequest,
  PeeringCommandsResponse,
  UpdateAclRequest,
} from '../../contract/infra.js'
import {
  aclSchema,
  cidrBlockSchema,
  getAclSchema,
  getNetworkSchema,
  getPeeringSchema,
  listAclsSchema,
  listNetworksSchema,
  listPeeringsSchema,
  networkSchema,
  peeringCommandSchema,
  peeringCommandsSchema,
  peeringSchema,
} from '../../contract/infra.js'
import type {CreatedResponse} from '../../contract/models.js'
import type {ApiCall} from './call.js'
import type {ApiResponse} from './exchange.js'
import {check, decodeCreated, list, one} from './decode.js'
import {idSeg, ignoreBody} from './path.js'

/** `/infra/v1/organizations/{o}/projects/{p}`; append `/networks`, `/acls` or `/peerings`. */
export const infraPath = (orgId: string, projectId: string) =>
  `/infra/v1/organizations/${idSeg(orgId, 'organization')}/projects/${idSeg(projectId, 'project')}`

const decodeNetwork = (v: unknown, path: string) => check(v, networkSchema, path) as Network
const decodePeering = (v: unknown, path: string) => check(v, peeringSchema, path) as Peering
const decodeCommand = (v: unknown, path: string) => check(v, peeringCommandSchema, path) as PeeringCommand

function decodeAcl(v: unknown, path: string): Acl {
  const acl = check(v, aclSchema, path) as Acl
  list(acl, {required: ['cidrBlocks']}, (block, p) => check(block, cidrBlockSchema, `${path}.${p}`))
  return acl
}

type Kind = 'networks' | 'acls' | 'peerings'
const noun: Record<Kind, string> = {networks: 'network', acls: 'acl', peerings: 'peering'}

export class InfraApi {
  constructor(private readonly call: ApiCall) {}

  // ---- networks ----
  async createNetwork(o: string, p: string, body: CreateNetworkRequest): Promise<ApiResponse<CreatedResponse>> {
    return this.call('POST', collection(o, p, 'networks'), decodeCreated, body)
  }
  async listNetworks(o: string, p: string): Promise<ApiResponse<ListNetworksResponse>> {
    return this.call('GET', collection(o, p, 'networks'), (b) => ({networks: list(b, listNetworksSchema, decodeNetwork)}))
  }
  async getNetwork(o: string, p: string, id: string): Promise<ApiResponse<GetNetworkResponse>> {
    return this.call('GET', item(o, p, 'networks', id), (b) => ({network: one(b, getNetworkSchema, decodeNetwork)}))
  }
  async updateNetwork(o: string, p: string, id: string, description: string): Promise<ApiResponse<void>> {
    return this.call('PUT', item(o, p, 'networks', id), ignoreBody, {description})
  }
  async deleteNetwork(o: string, p: string, id: string): Promise<ApiResponse<void>> {
    return this.call('DELETE', item(o, p, 'networks', id), ignoreBody)
  }

  // ---- acls ----
  async createAcl(o: string, p: string, body: CreateAclRequest): Promise<ApiResponse<CreatedResponse>> {
    return this.call('POST', collection(o, p, 'acls'), decodeCreated, body)
  }
  async listAcls(o: string, p: string): Promise<ApiResponse<ListAclsResponse>> {
    return this.call('GET', collection(o, p, 'acls'), (b) => ({acls: list(b, listAclsSchema, decodeAcl)}))
  }
  async getAcl(o: string, p: string, id: string): Promise<ApiResponse<GetAclResponse>> {
    return this.call('GET', item(o, p, 'acls', id), (b) => ({acl: one(b, getAclSchema, decodeAcl)}))
  }
  /** `cidrBlocks` replaces the whole list: `[]` empties it. */
  async updateAcl(o: string, p: string, id: string, body: UpdateAclRequest): Promise<ApiResponse<void>> {
    return this.call('PUT', item(o, p, 'acls', id), ignoreBody, body)
  }
  async deleteAcl(o: string, p: string, id: string): Promise<ApiResponse<void>> {
    return this.call('DELETE', item(o, p, 'acls', id), ignoreBody)
  }

  // ---- peerings ----
  async createPeering(o: string, p: string, body: CreatePeeringRequest): Promise<ApiResponse<CreatedResponse>> {
    return this.call('POST', collection(o, p, 'peerings'), decodeCreated, body)
  }
  /** What to run on the provider's side to accept a peering the cloud could not complete alone. */
  async peeringCommands(o: string, p: string, body: PeeringCommandsRequest): Promise<ApiResponse<PeeringCommandsResponse>> {
    return this.call(
      'POST',
      `${collection(o, p, 'peerings')}/commands`,
      (b) => ({commands: list(b, peeringCommandsSchema, decodeCommand)}),
      body,
    )
  }
  async listPeerings(o: string, p: string): Promise<ApiResponse<ListPeeringsResponse>> {
    return this.call('GET', collection(o, p, 'peerings'), (b) => ({peerings: list(b, listPeeringsSchema, decodePeering)}))
  }
  async getPeering(o: string, p: string, id: string): Promise<ApiResponse<GetPeeringResponse>> {
    return this.call('GET', item(o, p, 'peerings', id), (b) => ({peering: one(b, getPeeringSchema, decodePeering)}))
  }
  async updatePeering(o: string, p: string, id: string, description: string): Promise<ApiResponse<void>> {
    return this.call('PUT', item(o, p, 'peerings', id), ignoreBody, {description})
  }
  async deletePeering(o: string, p: string, id: string): Promise<ApiResponse<void>> {
    return this.call('DELETE', item(o, p, 'peerings', id), ignoreBody)
  }
}

const collection = (o: string, p: string, kind: Kind) => `${infraPath(o, p)}/${kind}`
const item = (o: string, p: string, kind: Kind, id: string) => `${collection(o, p, kind)}/${idSeg(id, noun[kind])}`
