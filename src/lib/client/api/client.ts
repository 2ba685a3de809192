import {ApiDecodeError, ApiError, parseProblem} from './errors.js'
import type {ApiResponse, HttpExchange} from './exchange.js'
import {HttpTransport, type TransportOptions} from './http.js'
import * as d from './decode.js'
import * as di from './decode-integrations.js'
import {InfraApi} from './infra.js'
import {idSeg, ignoreBody} from './path.js'
import {ResourcesApi} from './resources.js'
import type {
  CreateIntegrationRequest,
  GetIntegrationResponse,
  IntegrationOptionsResponse,
  ListDeliveriesResponse,
  ListIntegrationsResponse,
  TestIntegrationResult,
  UpdateIntegrationRequest,
} from '../../contract/integrations.js'
import type {
  CreateBackupRequest,
  CreateBackupResponse,
  CreateClusterRequest,
  CreateClusterResponse,
  CreateJobRequest,
  CreateJobResponse,
  ClusterCommandResponse,
  ExpandClusterRequest,
  GetBackupResponse,
  GetClusterResponse,
  GetJobResponse,
  ListBackupsResponse,
  ListClustersResponse,
  ListHistoryResponse,
  ListJobsResponse,
  ResizeClusterRequest,
  RunJobResponse,
  UpdateClusterRequest,
  UpgradeClusterRequest,
} from '../../contract/models.js'

export type {ApiResponse, HttpExchange} from './exchange.js'
export type {TransportOptions as ApiClientOptions} from './http.js'
export type {TokenProvider} from '../auth/token-provider.js'

/**
 * The API's resource paths, exported so that `--dry-run` shows exactly the path a
 * real run sends to. They live here rather than in a module of their own: every API command loads
 * this one anyway, and start-up is budgeted.
 */
const seg = encodeURIComponent
const mesdb = (orgId: string, projectId: string) => `/mesdb/v1/organizations/${seg(orgId)}/projects/${seg(projectId)}`
const orchestrate = (orgId: string, projectId: string) => `/orchestrate/v1/organizations/${seg(orgId)}/projects/${seg(projectId)}`

/** `…/backups`: create (POST) and list (GET); append `/<encoded id>` for one backup. */
export const backupsPath = (orgId: string, projectId: string) => `${mesdb(orgId, projectId)}/backups`
/** `…/clusters`: create (POST, a restore with a source backup) and list (GET). */
export const clustersPath = (orgId: string, projectId: string) => `${mesdb(orgId, projectId)}/clusters`
/** `…/jobs`: create (POST) and list (GET). */
export const jobsPath = (orgId: string, projectId: string) => `${orchestrate(orgId, projectId)}/jobs`
/** `…/history`: the job history (GET, optionally `?jobId=`). */
export const historyPath = (orgId: string, projectId: string) => `${orchestrate(orgId, projectId)}/history`

/** `…/integrations`: create (POST) and list (GET); append `/<encoded id>` for one integration. */
export const integrationsPath = (orgId: string, projectId: string) =>
  `/integrate/v1/organizations/${seg(orgId)}/projects/${seg(projectId)}/integrations`
/** The options endpoint is per organization, not per project. */
export const integrationOptionsPath = (orgId: string) => `/integrate/v1/organizations/${seg(orgId)}/integrations/options`

/** The cluster commands of `PUT …/clusters/{id}/commands/{command}`. */
export type ClusterCommand = 'resize' | 'upgrade' | 'stop' | 'start'

/**
 * The Kurrent Cloud API, one method per endpoint. Commands call these and never
 * build URLs. Every call resolves to the decoded body plus the raw exchange (for `--fmt api`);
 * non-2xx rejects with ApiError, a malformed 2xx body with ApiDecodeError.
 */
export class ApiClient {
  private readonly http: HttpTransport
  /** `/resources/v1`: organizations and projects. */
  readonly resources: ResourcesApi
  /** `/infra/v1`: networks, ACLs and peerings. */
  readonly infra: InfraApi

  constructor(options: TransportOptions) {
    this.http = new HttpTransport(options)
    const call = <T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, decode: (body: unknown) => T, body?: unknown) =>
      this.call(method, path, decode, body)
    this.resources = new ResourcesApi(call)
    this.infra = new InfraApi(call)
  }

  get baseUrl(): string {
    return this.http.baseUrl
  }

  // ---- mesdb backups ----
  createBackup(o: string, p: string, body: CreateBackupRequest): Promise<ApiResponse<CreateBackupResponse>> {
    return this.call('POST', `${backupsPath(o, p)}`, d.decodeCreated, body)
  }
  listBackups(o: string, p: string): Promise<ApiResponse<ListBackupsResponse>> {
    return this.call('GET', `${backupsPath(o, p)}`, d.decodeBackupList)
  }
  async getBackup(o: string, p: string, backupId: string): Promise<ApiResponse<GetBackupResponse>> {
    return this.call('GET', `${backupsPath(o, p)}/${idSeg(backupId, 'backup')}`, d.decodeBackupOne)
  }
  async deleteBackup(o: string, p: string, backupId: string): Promise<ApiResponse<void>> {
    return this.call('DELETE', `${backupsPath(o, p)}/${idSeg(backupId, 'backup')}`, ignoreBody)
  }

  // ---- mesdb clusters ----
  createCluster(o: string, p: string, body: CreateClusterRequest): Promise<ApiResponse<CreateClusterResponse>> {
    return this.call('POST', `${clustersPath(o, p)}`, d.decodeCreated, body)
  }
  listClusters(o: string, p: string): Promise<ApiResponse<ListClustersResponse>> {
    return this.call('GET', `${clustersPath(o, p)}`, d.decodeClusterList)
  }
  async getCluster(o: string, p: string, clusterId: string): Promise<ApiResponse<GetClusterResponse>> {
    return this.call('GET', `${clustersPath(o, p)}/${idSeg(clusterId, 'cluster')}`, d.decodeClusterOne)
  }
  async deleteCluster(o: string, p: string, clusterId: string): Promise<ApiResponse<void>> {
    return this.call('DELETE', `${clustersPath(o, p)}/${idSeg(clusterId, 'cluster')}`, ignoreBody)
  }

  async updateCluster(o: string, p: string, clusterId: string, body: UpdateClusterRequest): Promise<ApiResponse<void>> {
    return this.call('PUT', `${clustersPath(o, p)}/${idSeg(clusterId, 'cluster')}`, ignoreBody, body)
  }
  async expandCluster(o: string, p: string, clusterId: string, body: ExpandClusterRequest): Promise<ApiResponse<void>> {
    return this.call('PUT', `${clustersPath(o, p)}/${idSeg(clusterId, 'cluster')}/disk/expand`, ignoreBody, body)
  }
  /** resize, upgrade, stop, start: the answer must carry an `{"id"}` (the official CLI fails without it). */
  async clusterCommand(
    o: string,
    p: string,
    clusterId: string,
    command: ClusterCommand,
    body?: ResizeClusterRequest | UpgradeClusterRequest,
  ): Promise<ApiResponse<ClusterCommandResponse>> {
    return this.call('PUT', `${clustersPath(o, p)}/${idSeg(clusterId, 'cluster')}/commands/${command}`, d.decodeCreated, body)
  }

  // ---- orchestrate jobs & history ----
  createJob(o: string, p: string, body: CreateJobRequest): Promise<ApiResponse<CreateJobResponse>> {
    return this.call('POST', `${jobsPath(o, p)}`, d.decodeCreated, body)
  }
  listJobs(o: string, p: string): Promise<ApiResponse<ListJobsResponse>> {
    return this.call('GET', `${jobsPath(o, p)}`, d.decodeJobList)
  }
  async getJob(o: string, p: string, jobId: string): Promise<ApiResponse<GetJobResponse>> {
    return this.call('GET', `${jobsPath(o, p)}/${idSeg(jobId, 'job')}`, d.decodeJobOne)
  }
  async deleteJob(o: string, p: string, jobId: string): Promise<ApiResponse<void>> {
    return this.call('DELETE', `${jobsPath(o, p)}/${idSeg(jobId, 'job')}`, ignoreBody)
  }
  /** POST without a body; never retried blindly (it would run the job twice). */
  async runJob(o: string, p: string, jobId: string): Promise<ApiResponse<RunJobResponse>> {
    return this.call('POST', `${jobsPath(o, p)}/${idSeg(jobId, 'job')}/run`, decodeOptionalObject(d.decodeRunJob))
  }
  async listHistory(o: string, p: string, jobId?: string): Promise<ApiResponse<ListHistoryResponse>> {
    const query = jobId === undefined ? '' : `?jobId=${idSeg(jobId, 'job')}`
    return this.call('GET', `${historyPath(o, p)}${query}`, d.decodeHistoryList)
  }

  // ---- integrate ----
  createIntegration(o: string, p: string, body: CreateIntegrationRequest): Promise<ApiResponse<{id: string}>> {
    return this.call('POST', integrationsPath(o, p), d.decodeCreated, body)
  }
  listIntegrations(o: string, p: string): Promise<ApiResponse<ListIntegrationsResponse>> {
    return this.call('GET', integrationsPath(o, p), di.decodeIntegrationList)
  }
  async getIntegration(o: string, p: string, id: string): Promise<ApiResponse<GetIntegrationResponse>> {
    return this.call('GET', `${integrationsPath(o, p)}/${idSeg(id, 'integration')}`, di.decodeIntegrationOne)
  }
  async updateIntegration(o: string, p: string, id: string, body: UpdateIntegrationRequest): Promise<ApiResponse<void>> {
    return this.call('PUT', `${integrationsPath(o, p)}/${idSeg(id, 'integration')}`, ignoreBody, body)
  }
  async deleteIntegration(o: string, p: string, id: string): Promise<ApiResponse<void>> {
    return this.call('DELETE', `${integrationsPath(o, p)}/${idSeg(id, 'integration')}`, ignoreBody)
  }
  /** POST without a body, as the official CLI sends it. */
  async testIntegration(o: string, p: string, id: string): Promise<ApiResponse<TestIntegrationResult>> {
    return this.call('POST', `${integrationsPath(o, p)}/${idSeg(id, 'integration')}/test`, di.decodeTestResult)
  }
  /** Ours: the delivery log of one integration. */
  async listDeliveries(o: string, p: string, id: string): Promise<ApiResponse<ListDeliveriesResponse>> {
    return this.call('GET', `${integrationsPath(o, p)}/${idSeg(id, 'integration')}/deliveries`, di.decodeDeliveryList)
  }
  integrationOptions(o: string): Promise<ApiResponse<IntegrationOptionsResponse>> {
    return this.call('GET', integrationOptionsPath(o), di.decodeIntegrationOptions)
  }

  private async call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    decode: (body: unknown) => T,
    body?: unknown,
  ): Promise<ApiResponse<T>> {
    const exchange = await this.http.send(method, path, body)
    if (exchange.status < 200 || exchange.status > 299) {
      throw new ApiError(exchange, parseProblem(exchange.responseText))
    }
    return {data: decodeExchange(exchange, decode), exchange}
  }
}

function decodeExchange<T>(exchange: HttpExchange, decode: (body: unknown) => T): T {
  if (decode === (ignoreBody as unknown)) return undefined as T
  let parsed: unknown
  const text = exchange.responseText
  if (text.trim() === '') {
    parsed = undefined
  } else {
    try {
      parsed = JSON.parse(text)
    } catch {
      const excerpt = text.length > 80 ? `${text.slice(0, 80)}…` : text
      throw new ApiDecodeError(exchange, `body is not JSON: ${JSON.stringify(excerpt)}`)
    }
  }
  try {
    return decode(parsed)
  } catch (error) {
    if (error instanceof d.DecodeProblem) {
      throw new ApiDecodeError(exchange, parsed === undefined ? 'empty body' : error.message)
    }
    throw error
  }
}

function decodeOptionalObject<T>(decode: (b: unknown) => T): (b: unknown) => T {
  return (b) => decode(b === undefined ? {} : b)
}
