/**
 * `/resources/v1`: organizations, their MFA setting, and projects. Reached as `api.resources`.
 */
import type {
  GetOrganizationResponse,
  GetProjectResponse,
  ListOrganizationsResponse,
  ListProjectsResponse,
  MfaStatusResponse,
  Organization,
  Project,
} from '../../contract/resources.js'
import {
  getOrganizationSchema,
  getProjectSchema,
  listOrganizationsSchema,
  listProjectsSchema,
  mfaStatusSchema,
  organizationSchema,
  projectSchema,
} from '../../contract/resources.js'
import type {CreatedResponse} from '../../contract/models.js'
import type {ApiCall} from './call.js'
import type {ApiResponse} from './exchange.js'
import {check, decodeCreated, list, one} from './decode.js'
import {idSeg, ignoreBody} from './path.js'

export const organizationsPath = () => '/resources/v1/organizations'
/** `…/organizations/{o}/projects`: create (POST) and list (GET). */
export const projectsPath = (orgId: string) => `${organizationsPath()}/${idSeg(orgId, 'organization')}/projects`

const decodeOrganization = (v: unknown, path: string) => check(v, organizationSchema, path) as Organization
const decodeProject = (v: unknown, path: string) => check(v, projectSchema, path) as Project
const decodeMfa = (b: unknown) => check(b, mfaStatusSchema, '') as MfaStatusResponse

export class ResourcesApi {
  constructor(private readonly call: ApiCall) {}

  createOrganization(name: string): Promise<ApiResponse<CreatedResponse>> {
    return this.call('POST', organizationsPath(), decodeCreated, {name})
  }
  listOrganizations(): Promise<ApiResponse<ListOrganizationsResponse>> {
    return this.call('GET', organizationsPath(), (b) => ({organizations: list(b, listOrganizationsSchema, decodeOrganization)}))
  }
  async getOrganization(orgId: string): Promise<ApiResponse<GetOrganizationResponse>> {
    return this.call('GET', orgPath(orgId), (b) => ({organization: one(b, getOrganizationSchema, decodeOrganization)}))
  }
  async updateOrganization(orgId: string, name: string): Promise<ApiResponse<void>> {
    return this.call('PUT', orgPath(orgId), ignoreBody, {name})
  }
  async deleteOrganization(orgId: string): Promise<ApiResponse<void>> {
    return this.call('DELETE', orgPath(orgId), ignoreBody)
  }
  async getMfaStatus(orgId: string): Promise<ApiResponse<MfaStatusResponse>> {
    return this.call('GET', `${orgPath(orgId)}/mfa`, decodeMfa)
  }
  /** A POST, as the official CLI sends it; the answer echoes the new value. */
  async updateMfaStatus(orgId: string, mfaEnabled: boolean): Promise<ApiResponse<MfaStatusResponse>> {
    return this.call('POST', `${orgPath(orgId)}/mfa`, decodeMfa, {mfaEnabled})
  }

  async createProject(orgId: string, name: string): Promise<ApiResponse<CreatedResponse>> {
    return this.call('POST', projectsPath(orgId), decodeCreated, {name})
  }
  async listProjects(orgId: string): Promise<ApiResponse<ListProjectsResponse>> {
    return this.call('GET', projectsPath(orgId), (b) => ({projects: list(b, listProjectsSchema, decodeProject)}))
  }
  async getProject(orgId: string, projectId: string): Promise<ApiResponse<GetProjectResponse>> {
    return this.call('GET', projectPath(orgId, projectId), (b) => ({project: one(b, getProjectSchema, decodeProject)}))
  }
  async updateProject(orgId: string, projectId: string, name: string): Promise<ApiResponse<void>> {
    return this.call('PUT', projectPath(orgId, projectId), ignoreBody, {name})
  }
  async deleteProject(orgId: string, projectId: string): Promise<ApiResponse<void>> {
    return this.call('DELETE', projectPath(orgId, projectId), ignoreBody)
  }
}

const orgPath = (orgId: string) => `${organizationsPath()}/${idSeg(orgId, 'organization')}`
const projectPath = (orgId: string, projectId: string) => `${projectsPath(orgId)}/${idSeg(projectId, 'project')}`
