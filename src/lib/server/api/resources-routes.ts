import type {FastifyInstance} from 'fastify'

import {
  organizationBody,
  organizationParams,
  organizationProjectParams,
  projectBody,
  updateMfaStatusBody,
} from '../../contract/resources.js'
import type {Organization, Project} from '../../contract/resources.js'
import type {LocalCloudContext} from '../context.js'
import {newId} from '../ids.js'
import type {OrganizationRow, ProjectRow} from '../store/resources.js'
import {ApiProblem, notFound} from './problems.js'
import type {SchemaTypeProvider} from './schemas.js'

const ORGS = '/resources/v1/organizations'

// The local cloud provisions nothing, but the official CLI cannot read an organization without it.
const toOrganization = (row: OrganizationRow): Organization => ({
  created: row.created,
  id: row.id,
  name: row.name,
  provisioningEnabled: true,
})
const toProject = (row: ProjectRow): Project => ({created: row.created, id: row.id, name: row.name, organizationId: row.organization_id})

/** "1 network, 2 ACLs": what is in the way of a delete. */
export function inTheWay(found: Array<[string, number]>): string {
  return found.map(([what, n]) => `${n} ${n === 1 ? what.replace(/s$/, '') : what}`).join(', ')
}

/**
 * `/resources/v1`: organizations and projects. Which organization a caller may address at all is
 * decided before any handler runs (see app.ts): the ones here only see their own.
 */
export function registerResourceRoutes(fastify: FastifyInstance, ctx: LocalCloudContext): void {
  const app = fastify.withTypeProvider<SchemaTypeProvider>()
  const {store} = ctx
  const organization = (id: string): OrganizationRow => {
    const row = store.organizations.get(id)
    if (!row) throw notFound('organization', id)
    return row
  }
  const project = (organizationId: string, id: string): ProjectRow => {
    const row = store.projects.find(organizationId, id)
    if (!row) throw notFound('project', id)
    return row
  }
  const uniqueName = (organizationId: string, name: string, except?: string) => {
    const same = store.projects.named(organizationId, name)
    if (same && same.id !== except) {
      throw new ApiProblem(409, `a project named ${JSON.stringify(name)} already exists in organization ${organizationId}`)
    }
  }

  app.post(ORGS, {schema: {body: organizationBody}}, async (request, reply) => {
    const id = newId(ctx.now().getTime())
    store.organizations.insert({id, name: request.body.name, created: ctx.now().toISOString(), owner: request.principal})
    return reply.code(201).send({id})
  })

  app.get(ORGS, async (request) => ({organizations: store.organizations.listVisible(request.principal).map(toOrganization)}))

  app.get(`${ORGS}/:organizationId`, {schema: {params: organizationParams}}, async (request) => ({
    organization: toOrganization(organization(request.params.organizationId)),
  }))

  app.put(`${ORGS}/:organizationId`, {schema: {params: organizationParams, body: organizationBody}}, async (request) => {
    store.organizations.rename(organization(request.params.organizationId).id, request.body.name)
    return {}
  })

  app.delete(`${ORGS}/:organizationId`, {schema: {params: organizationParams}}, async (request, reply) => {
    const {id} = organization(request.params.organizationId)
    if (id === store.ensureDefaults().organizationId) {
      throw new ApiProblem(409, `the local organization ${id} of this local cloud cannot be deleted`)
    }
    const projects = store.projects.list(id).length
    if (projects > 0)
      throw new ApiProblem(
        409,
        `organization ${id} still has ${inTheWay([['projects', projects]])}; delete ${projects === 1 ? 'it' : 'them'} first`,
      )
    store.organizations.delete(id)
    return reply.code(204).send()
  })

  app.get(`${ORGS}/:organizationId/mfa`, {schema: {params: organizationParams}}, async (request) => ({
    mfaEnabled: organization(request.params.organizationId).mfa_enabled === 1,
  }))

  app.post(`${ORGS}/:organizationId/mfa`, {schema: {params: organizationParams, body: updateMfaStatusBody}}, async (request) => {
    store.organizations.setMfa(organization(request.params.organizationId).id, request.body.mfaEnabled)
    return {mfaEnabled: request.body.mfaEnabled}
  })

  app.post(`${ORGS}/:organizationId/projects`, {schema: {params: organizationParams, body: projectBody}}, async (request, reply) => {
    const {id: organizationId} = organization(request.params.organizationId)
    uniqueName(organizationId, request.body.name)
    const id = newId(ctx.now().getTime())
    store.projects.insert({id, organization_id: organizationId, name: request.body.name, created: ctx.now().toISOString()})
    return reply.code(201).send({id})
  })

  app.get(`${ORGS}/:organizationId/projects`, {schema: {params: organizationParams}}, async (request) => ({
    projects: store.projects.list(organization(request.params.organizationId).id).map(toProject),
  }))

  app.get(`${ORGS}/:organizationId/projects/:projectId`, {schema: {params: organizationProjectParams}}, async (request) => ({
    project: toProject(project(request.params.organizationId, request.params.projectId)),
  }))

  app.put(
    `${ORGS}/:organizationId/projects/:projectId`,
    {schema: {params: organizationProjectParams, body: projectBody}},
    async (request) => {
      const {organizationId, projectId} = request.params
      const row = project(organizationId, projectId)
      uniqueName(organizationId, request.body.name, row.id)
      store.projects.rename(row.id, request.body.name)
      return {}
    },
  )

  app.delete(`${ORGS}/:organizationId/projects/:projectId`, {schema: {params: organizationProjectParams}}, async (request, reply) => {
    const {organizationId, projectId} = request.params
    const row = project(organizationId, projectId)
    if (row.id === store.ensureDefaults().projectId) {
      throw new ApiProblem(409, `the local project ${row.id} of this local cloud cannot be deleted`)
    }
    const found = store.projects.dependants(organizationId, row.id)
    if (found.length > 0) throw new ApiProblem(409, `project ${row.id} still has ${inTheWay(found)}; delete them first`)
    store.projects.delete(row.id)
    return reply.code(204).send()
  })
}
