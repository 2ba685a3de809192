/**
 * The `/resources/v1` contract: organizations and projects. JSON schemas of the request bodies and
 * answers, and the wire types inferred from them. The local cloud validates with the request schemas;
 * the client decodes the answers leniently with the response schemas (unknown fields pass through).
 *
 * Properties are listed in the order the official CLI serializes (requests) or checks (answers) them.
 */
import type {FromSchema} from 'json-schema-to-ts'

import {ID_PATTERN} from './ids.js'

const string = {type: 'string'} as const
const boolean = {type: 'boolean'} as const
const idSchema = {type: 'string', pattern: ID_PATTERN} as const
/** Organization and project names: free text, as the official CLI sends them. */
const name = {type: 'string', minLength: 1, maxLength: 1024} as const

// ---- requests ----

export const organizationParams = {
  type: 'object',
  required: ['organizationId'],
  properties: {organizationId: idSchema},
} as const

export const organizationProjectParams = {
  type: 'object',
  required: ['organizationId', 'projectId'],
  properties: {organizationId: idSchema, projectId: idSchema},
} as const

/** `organizations create` and `organizations update` send the same body. */
export const organizationBody = {
  type: 'object',
  required: ['name'],
  properties: {name},
} as const

/** `organizations update-mfa-status`: POST `…/mfa`. */
export const updateMfaStatusBody = {
  type: 'object',
  required: ['mfaEnabled'],
  properties: {mfaEnabled: boolean},
} as const

/** `projects create` and `projects update` send the same body. */
export const projectBody = {
  type: 'object',
  required: ['name'],
  properties: {name},
} as const

// ---- answers ----

/** `provisioningEnabled` is required: the official CLI fails to decode an organization without it. */
export const organizationSchema = {
  type: 'object',
  required: ['created', 'id', 'name', 'provisioningEnabled'],
  properties: {
    /** RFC 3339 date-time */
    created: string,
    id: string,
    name: string,
    provisioningEnabled: boolean,
  },
} as const

export const projectSchema = {
  type: 'object',
  required: ['created', 'id', 'name', 'organizationId'],
  properties: {
    /** RFC 3339 date-time */
    created: string,
    id: string,
    name: string,
    organizationId: string,
  },
} as const

export const getOrganizationSchema = {
  type: 'object',
  required: ['organization'],
  properties: {organization: organizationSchema},
} as const

export const listOrganizationsSchema = {
  type: 'object',
  required: ['organizations'],
  properties: {organizations: {type: 'array', items: organizationSchema}},
} as const

export const getProjectSchema = {
  type: 'object',
  required: ['project'],
  properties: {project: projectSchema},
} as const

export const listProjectsSchema = {
  type: 'object',
  required: ['projects'],
  properties: {projects: {type: 'array', items: projectSchema}},
} as const

/** The answer of both `GET …/mfa` and `POST …/mfa` (the POST echoes the new value). */
export const mfaStatusSchema = {
  type: 'object',
  required: ['mfaEnabled'],
  properties: {mfaEnabled: boolean},
} as const

// ---- types ----

/** `T` without its index signature: request bodies carry only the fields they name. */
type Known<T> = {[K in keyof T as string extends K ? never : number extends K ? never : K]: T[K]}

export type OrganizationRequest = Known<FromSchema<typeof organizationBody>>
export type UpdateMfaStatusRequest = Known<FromSchema<typeof updateMfaStatusBody>>
export type ProjectRequest = Known<FromSchema<typeof projectBody>>

export type Organization = FromSchema<typeof organizationSchema>
export type Project = FromSchema<typeof projectSchema>
export interface GetOrganizationResponse {
  organization: Organization
}
export interface ListOrganizationsResponse {
  organizations: Organization[]
}
export interface GetProjectResponse {
  project: Project
}
export interface ListProjectsResponse {
  projects: Project[]
}
export type MfaStatusResponse = FromSchema<typeof mfaStatusSchema>
