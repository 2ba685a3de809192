import type {FastifyInstance} from 'fastify'

import {type ClusterChange, expandChange, resizeChange, startChange, stopChange, upgradeChange} from '../cluster-changes.js'
import type {LocalCloudContext} from '../context.js'
import type {ClusterRow} from '../store/clusters.js'
import {checkAcl} from './cluster-rules.js'
import {requireProject} from './mesdb-routes.js'
import {notFound} from './problems.js'
import {
  clusterParams,
  expandClusterBody,
  resizeClusterBody,
  type SchemaTypeProvider,
  updateClusterBody,
  upgradeClusterBody,
} from './schemas.js'

const CLUSTER = '/mesdb/v1/organizations/:organizationId/projects/:projectId/clusters/:clusterId'

/**
 * The changes of an existing cluster: update (at once), and expand, resize, upgrade, stop, start
 * (in the background, under the cluster's lock; answered 202 with the operation's id, which the
 * official CLI requires of resize, upgrade, stop and start).
 */
export function registerClusterChangeRoutes(fastify: FastifyInstance, ctx: LocalCloudContext): void {
  const app = fastify.withTypeProvider<SchemaTypeProvider>()
  const {runner} = ctx

  const live = (params: {organizationId: string; projectId: string; clusterId: string}): ClusterRow => {
    const {organizationId, projectId} = requireProject(ctx, params)
    const row = ctx.store.clusters.find(organizationId, projectId, params.clusterId)
    if (!row || row.deleted) throw notFound('cluster', params.clusterId)
    return row
  }
  const start = (row: ClusterRow, change: ClusterChange) => ({id: runner.startChange(row, change)})

  app.put(CLUSTER, {schema: {params: clusterParams, body: updateClusterBody}}, async (request, reply) => {
    const row = live(request.params)
    if (request.body.aclId !== undefined) checkAcl(ctx, request.params, request.body.aclId)
    runner.updateCluster(row, request.body)
    return reply.code(200).send()
  })

  app.put(`${CLUSTER}/disk/expand`, {schema: {params: clusterParams, body: expandClusterBody}}, async (request, reply) => {
    const row = live(request.params)
    return reply.code(202).send(start(row, expandChange(row, request.body)))
  })

  app.put(`${CLUSTER}/commands/resize`, {schema: {params: clusterParams, body: resizeClusterBody}}, async (request, reply) => {
    const row = live(request.params)
    return reply.code(202).send(start(row, resizeChange(request.body)))
  })

  app.put(`${CLUSTER}/commands/upgrade`, {schema: {params: clusterParams, body: upgradeClusterBody}}, async (request, reply) => {
    const row = live(request.params)
    return reply.code(202).send(start(row, upgradeChange(request.body)))
  })

  app.put(`${CLUSTER}/commands/stop`, {schema: {params: clusterParams}}, async (request, reply) => {
    return reply.code(202).send(start(live(request.params), stopChange()))
  })

  app.put(`${CLUSTER}/commands/start`, {schema: {params: clusterParams}}, async (request, reply) => {
    return reply.code(202).send(start(live(request.params), startChange()))
  })
}
