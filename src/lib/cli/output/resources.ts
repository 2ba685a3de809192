/**
 * The outputs of `esc resources`: organizations and projects, as the official CLI's v1 projections
 * (an organization without `provisioningEnabled`, a project whose `organizationId` is `org_id` in
 * the Debug line; dates re-rendered in UTC).
 */
import type {MfaStatusResponse, Organization, Project} from '../../contract/resources.js'
import type {IdKind, ResourceKind} from './kinds.js'
import {debugNewtype as nt, debugStr as str, debugStruct, rfc3339Utc} from './rust-debug.js'

export const organizationIdKind: IdKind = {noun: 'organization', debugName: 'OrgId'}
export const projectIdKind: IdKind = {noun: 'project', debugName: 'ProjectId'}

export const organizationKind: ResourceKind<Organization> = {
  noun: 'organization',
  plural: 'organizations',
  id: (o) => o.id,
  v1: (o) => ({id: o.id, name: o.name, created: rfc3339Utc(o.created)}),
  debug: (o) =>
    debugStruct('Organization', [
      ['id', nt('OrgId', o.id)],
      ['name', str(o.name)],
      ['created', rfc3339Utc(o.created)],
    ]),
  columns: [
    {header: 'ID', cell: (o) => o.id},
    {header: 'Name', cell: (o) => o.name},
    {header: 'Created', cell: (o, f) => f.date(o.created)},
  ],
  fields: [
    {header: 'ID', cell: (o) => o.id},
    {header: 'Name', cell: (o) => o.name},
    {header: 'Provisioning', cell: (o) => (o.provisioningEnabled ? 'enabled' : 'disabled')},
    {header: 'Created', cell: (o, f) => f.date(o.created)},
  ],
}

export const projectKind: ResourceKind<Project> = {
  noun: 'project',
  plural: 'projects',
  id: (p) => p.id,
  v1: (p) => ({id: p.id, organizationId: p.organizationId, name: p.name, created: rfc3339Utc(p.created)}),
  debug: (p) =>
    debugStruct('Project', [
      ['id', nt('ProjectId', p.id)],
      ['org_id', nt('OrgId', p.organizationId)],
      ['name', str(p.name)],
      ['created', rfc3339Utc(p.created)],
    ]),
  columns: [
    {header: 'ID', cell: (p) => p.id},
    {header: 'Name', cell: (p) => p.name},
    {header: 'Created', cell: (p, f) => f.date(p.created)},
  ],
  fields: [
    {header: 'ID', cell: (p) => p.id},
    {header: 'Name', cell: (p) => p.name},
    {header: 'Organization', cell: (p) => p.organizationId},
    {header: 'Created', cell: (p, f) => f.date(p.created)},
  ],
}

/** `get-mfa-status` and `update-mfa-status` print the answer under different Rust type names. */
export const mfaViews = {
  get: (m: MfaStatusResponse) => ({
    debug: debugStruct('MfaStatus', [['mfa_enabled', String(m.mfaEnabled)]]),
    json: {mfaEnabled: m.mfaEnabled},
  }),
  updated: (m: MfaStatusResponse) => ({
    debug: debugStruct('UpdateMfaResponse', [['mfa_enabled', String(m.mfaEnabled)]]),
    json: {mfaEnabled: m.mfaEnabled},
  }),
}

/** The MFA setting for `table` (a sentence) and `-q` (`true`/`false`, for scripts). */
export const mfaText = (enabled: boolean, quiet?: boolean) => (quiet ? String(enabled) : `MFA required: ${enabled ? 'yes' : 'no'}`)
