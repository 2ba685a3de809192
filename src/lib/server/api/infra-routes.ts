import type {FastifyInstance} from 'fastify'

import {
  aclParams,
  createAclBody,
  createNetworkBody,
  createPeeringBody,
  infraParams,
  networkParams,
  peeringCommandsBody,
  peeringParams,
  updateAclBody,
  updateNetworkBody,
  updatePeeringBody,
} from '../../contract/infra.js'
import type {CidrBlock} from '../../contract/infra.js'
import type {LocalCloudContext} from '../context.js'
import {newId} from '../ids.js'
import {aclCidrProblem, freeBlock, networkCidrProblem, regionProblem} from '../network-rules.js'
import {toAcl} from '../store/acls.js'
import {toNetwork} from '../store/networks.js'
import {requireProject} from './mesdb-routes.js'
import {ApiProblem, notFound} from './problems.js'
import type {SchemaTypeProvider} from './schemas.js'

const INFRA = '/infra/v1/organizations/:organizationId/projects/:projectId'

/** How long a network shows `provisioning` (or `deleting`) before it settles, like a cloud one. */
export const NETWORK_SETTLE_MS = 1000

/** A 400 naming each bad field, like a body that failed the schema. */
function invalid(fields: Record<string, string | undefined>): void {
  const bad = Object.fromEntries(Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined))
  if (Object.keys(bad).length > 0) throw new ApiProblem(400, `invalid body: ${Object.keys(bad).join(', ')}`, bad)
}

const checkBlocks = (blocks: CidrBlock[]) =>
  invalid(Object.fromEntries(blocks.map((block, i) => [`cidrBlocks.${i}.address`, aclCidrProblem(block.address)])))

const inUse = (what: string, id: string, clusters: string[]) =>
  new ApiProblem(
    409,
    `${what} ${id} is used by cluster${clusters.length === 1 ? '' : 's'} ${clusters.join(', ')}; delete the cluster${clusters.length === 1 ? '' : 's'} first`,
  )

/** `/infra/v1`: networks and IP access lists, served for real; peerings need a provider, so 501. */
export function registerInfraRoutes(fastify: FastifyInstance, ctx: LocalCloudContext): void {
  const app = fastify.withTypeProvider<SchemaTypeProvider>()
  const {store} = ctx
  const settlesAt = () => new Date(ctx.now().getTime() + NETWORK_SETTLE_MS).toISOString()
  const liveNetwork = (params: {organizationId: string; projectId: string; networkId: string}) => {
    const {organizationId, projectId} = requireProject(ctx, params)
    const row = store.networks.find(organizationId, projectId, params.networkId)
    if (!row || row.status === 'deleted') throw notFound('network', params.networkId)
    return row
  }
  const activeAcl = (params: {organizationId: string; projectId: string; aclId: string}) => {
    const {organizationId, projectId} = requireProject(ctx, params)
    const row = store.acls.find(organizationId, projectId, params.aclId)
    if (!row || row.status !== 'active') throw notFound('ACL', params.aclId)
    return row
  }

  app.post(`${INFRA}/networks`, {schema: {params: infraParams, body: createNetworkBody}}, async (request, reply) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const {body} = request
    invalid({
      cidrBlock: body.cidrBlock === undefined ? undefined : networkCidrProblem(body.cidrBlock),
      region: regionProblem(body.provider, body.region),
    })
    const id = newId(ctx.now().getTime())
    store.networks.insert({
      id,
      organization_id: organizationId,
      project_id: projectId,
      provider: body.provider,
      region: body.region,
      // A public network gets a block too: the official CLI cannot show a network without one.
      cidr_block: body.cidrBlock ?? freeBlock(store.networks.list(organizationId, projectId).map((n) => n.cidr_block)),
      description: body.description,
      public_access: body.publicAccess,
      status: 'provisioning',
      created: ctx.now().toISOString(),
      settles_at: settlesAt(),
    })
    return reply.code(202).send({id})
  })

  app.get(`${INFRA}/networks`, {schema: {params: infraParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    return {networks: store.networks.list(organizationId, projectId).map(toNetwork)}
  })

  app.get(`${INFRA}/networks/:networkId`, {schema: {params: networkParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const row = store.networks.find(organizationId, projectId, request.params.networkId)
    if (!row) throw notFound('network', request.params.networkId)
    return {network: toNetwork(row)}
  })

  app.put(`${INFRA}/networks/:networkId`, {schema: {params: networkParams, body: updateNetworkBody}}, async (request) => {
    store.networks.setDescription(liveNetwork(request.params).id, request.body.description)
    return {}
  })

  app.delete(`${INFRA}/networks/:networkId`, {schema: {params: networkParams}}, async (request, reply) => {
    const row = liveNetwork(request.params)
    if (row.status === 'deleting') return reply.code(204).send()
    const clusters = store.clusters.using('networkId', row.project_id, row.id)
    if (clusters.length > 0) throw inUse('network', row.id, clusters)
    store.networks.startDelete(row.id, settlesAt())
    return reply.code(204).send()
  })

  app.post(`${INFRA}/acls`, {schema: {params: infraParams, body: createAclBody}}, async (request, reply) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    checkBlocks(request.body.cidrBlocks)
    const id = newId(ctx.now().getTime())
    store.acls.insert({
      id,
      organization_id: organizationId,
      project_id: projectId,
      description: request.body.description,
      cidr_blocks: request.body.cidrBlocks,
      created: ctx.now().toISOString(),
    })
    return reply.code(201).send({id})
  })

  app.get(`${INFRA}/acls`, {schema: {params: infraParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    return {acls: store.acls.list(organizationId, projectId).map(toAcl)}
  })

  app.get(`${INFRA}/acls/:aclId`, {schema: {params: aclParams}}, async (request) => {
    const {organizationId, projectId} = requireProject(ctx, request.params)
    const row = store.acls.find(organizationId, projectId, request.params.aclId)
    if (!row) throw notFound('ACL', request.params.aclId)
    return {acl: toAcl(row)}
  })

  app.put(`${INFRA}/acls/:aclId`, {schema: {params: aclParams, body: updateAclBody}}, async (request) => {
    checkBlocks(request.body.cidrBlocks)
    const row = activeAcl(request.params)
    store.acls.update(row.id, request.body.cidrBlocks, request.body.description, ctx.now().toISOString())
    return {}
  })

  app.delete(`${INFRA}/acls/:aclId`, {schema: {params: aclParams}}, async (request, reply) => {
    const row = activeAcl(request.params)
    const clusters = store.clusters.using('aclId', row.project_id, row.id)
    if (clusters.length > 0) throw inUse('ACL', row.id, clusters)
    store.acls.markDeleted(row.id, ctx.now().toISOString())
    return reply.code(204).send()
  })

  const noPeering = async (request: {params: {organizationId: string; projectId: string}}) => {
    requireProject(ctx, request.params)
    throw new ApiProblem(
      501,
      'peering needs a cloud provider: the local cloud has no provider networks to peer with (its networks and clusters are on this machine)',
    )
  }
  app.post(`${INFRA}/peerings`, {schema: {params: infraParams, body: createPeeringBody}}, noPeering)
  app.post(`${INFRA}/peerings/commands`, {schema: {params: infraParams, body: peeringCommandsBody}}, noPeering)
  app.get(`${INFRA}/peerings`, {schema: {params: infraParams}}, noPeering)
  app.get(`${INFRA}/peerings/:peeringId`, {schema: {params: peeringParams}}, noPeering)
  app.put(`${INFRA}/peerings/:peeringId`, {schema: {params: peeringParams, body: updatePeeringBody}}, noPeering)
  app.delete(`${INFRA}/peerings/:peeringId`, {schema: {params: peeringParams}}, noPeering)
}
