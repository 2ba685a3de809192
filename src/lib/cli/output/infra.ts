/**
 * The outputs of `esc infra`, as the official CLI prints them:
 * - networks and peerings: v1 projections (a network drops `created` and `publicAccess`, a peering
 *   renames `peerAccountId`/`peerNetworkId` to `peerAccount`/`peerNetwork`); an unknown provider is
 *   an error, as in every projection;
 * - ACLs: the API's JSON, wrapper kept, in `cli` too (no Debug line).
 * A network without `cidrBlock` shows an empty one: the official CLI crashes there.
 */
import type {Acl, Network, Peering, PeeringCommand} from '../../contract/infra.js'
import type {IdKind, ResourceKind} from './kinds.js'
import {debugNewtype as nt, debugStr as str, debugStruct, debugVec} from './rust-debug.js'
import {providerV1} from './v1.js'

export const networkIdKind: IdKind = {noun: 'network', debugName: 'NetworkId'}
export const aclIdKind: IdKind = {noun: 'acl', debugName: 'AclId', wrapped: true}
export const peeringIdKind: IdKind = {noun: 'peering', debugName: 'PeeringId'}

const text = (s: unknown): string => (s === undefined || s === null ? '' : String(s))

export function networkV1(n: Network) {
  return {
    projectId: n.projectId,
    id: n.id,
    provider: providerV1(n.provider).json,
    region: n.region,
    cidrBlock: text(n.cidrBlock),
    description: n.description,
    status: text(n.status),
  }
}

export const networkKind: ResourceKind<Network> = {
  noun: 'network',
  plural: 'networks',
  id: (n) => n.id,
  v1: networkV1,
  debug: (n) => {
    const v = networkV1(n)
    return debugStruct('Network', [
      ['project_id', nt('ProjectId', v.projectId)],
      ['id', nt('NetworkId', v.id)],
      ['provider', providerV1(n.provider).debug],
      ['region', str(v.region)],
      ['cidr_block', str(v.cidrBlock)],
      ['description', str(v.description)],
      ['status', str(v.status)],
    ])
  },
  columns: [
    {header: 'ID', cell: (n) => n.id},
    {header: 'Description', cell: (n) => n.description},
    {header: 'Status', cell: (n) => text(n.status)},
    {header: 'Region', cell: (n) => `${n.provider}/${n.region}`},
    {header: 'CIDR block', cell: (n) => text(n.cidrBlock)},
    {header: 'Public', cell: (n) => (n.publicAccess ? 'yes' : 'no')},
  ],
  fields: [
    {header: 'ID', cell: (n) => n.id},
    {header: 'Description', cell: (n) => n.description},
    {header: 'Status', cell: (n) => text(n.status)},
    {header: 'Project', cell: (n) => n.projectId},
    {header: 'Provider', cell: (n) => n.provider},
    {header: 'Region', cell: (n) => n.region},
    {header: 'CIDR block', cell: (n) => text(n.cidrBlock)},
    {header: 'Public access', cell: (n) => (n.publicAccess ? 'yes' : 'no')},
    {header: 'Created', cell: (n, f) => f.date(n.created)},
  ],
}

/** The ACL as the API sent it, in the schema's key order, optional fields only when present, unknown ones dropped. */
export function aclJson(a: Acl): Record<string, unknown> {
  return {
    cidrBlocks: a.cidrBlocks.map((b) =>
      b.comment === undefined || b.comment === null ? {address: b.address} : {address: b.address, comment: b.comment},
    ),
    created: a.created,
    description: a.description,
    id: a.id,
    projectId: a.projectId,
    status: a.status,
    ...(a.updated === undefined || a.updated === null ? {} : {updated: a.updated}),
  }
}

const blocksText = (a: Acl) => a.cidrBlocks.map((b) => (b.comment ? `${b.address} (${b.comment})` : b.address)).join(', ')

export const aclKind: ResourceKind<Acl> = {
  noun: 'acl',
  plural: 'acls',
  id: (a) => a.id,
  v1: aclJson,
  debug: (a) => JSON.stringify(aclJson(a), null, 2),
  columns: [
    {header: 'ID', cell: (a) => a.id},
    {header: 'Description', cell: (a) => a.description},
    {header: 'Status', cell: (a) => text(a.status)},
    {header: 'CIDR blocks', cell: blocksText},
  ],
  fields: [
    {header: 'ID', cell: (a) => a.id},
    {header: 'Description', cell: (a) => a.description},
    {header: 'Status', cell: (a) => text(a.status)},
    {header: 'Project', cell: (a) => a.projectId},
    {header: 'CIDR blocks', cell: blocksText},
    {header: 'Created', cell: (a, f) => f.date(a.created)},
    {header: 'Updated', cell: (a, f) => (a.updated ? f.date(a.updated) : '—')},
  ],
}

/** The whole-answer renderings (`printer.wrapped` with no Debug line: `cli` prints the JSON too). */
export const aclViews = {
  one: (a: Acl) => ({json: {acl: aclJson(a)}}),
  list: (items: Acl[]) => ({json: {acls: items.map(aclJson)}}),
}

export function peeringV1(p: Peering) {
  return {
    id: p.id,
    projectId: p.projectId,
    provider: providerV1(p.provider).json,
    networkId: p.networkId,
    description: p.description,
    peerAccount: p.peerAccountId,
    peerNetwork: p.peerNetworkId,
    peerNetworkRegion: p.peerNetworkRegion,
    routes: p.routes,
    status: text(p.status),
  }
}

export const peeringKind: ResourceKind<Peering> = {
  noun: 'peering',
  plural: 'peerings',
  id: (p) => p.id,
  v1: peeringV1,
  debug: (p) => {
    const v = peeringV1(p)
    return debugStruct('Peering', [
      ['id', nt('PeeringId', v.id)],
      ['project_id', nt('ProjectId', v.projectId)],
      ['provider', providerV1(p.provider).debug],
      ['network_id', nt('NetworkId', v.networkId)],
      ['description', str(v.description)],
      ['peer_account', `Some(${str(v.peerAccount)})`],
      ['peer_network', `Some(${str(v.peerNetwork)})`],
      ['peer_network_region', str(v.peerNetworkRegion)],
      ['routes', debugVec(v.routes.map(str))],
      ['status', str(v.status)],
    ])
  },
  columns: [
    {header: 'ID', cell: (p) => p.id},
    {header: 'Description', cell: (p) => p.description},
    {header: 'Status', cell: (p) => text(p.status)},
    {header: 'Network', cell: (p) => p.networkId},
    {header: 'Peer', cell: (p) => `${p.peerAccountId}/${p.peerNetworkId} (${p.peerNetworkRegion})`},
    {header: 'Routes', cell: (p) => p.routes.join(', ')},
  ],
  fields: [
    {header: 'ID', cell: (p) => p.id},
    {header: 'Description', cell: (p) => p.description},
    {header: 'Status', cell: (p) => text(p.status)},
    {header: 'Project', cell: (p) => p.projectId},
    {header: 'Network', cell: (p) => `${p.networkId} (${p.networkCidrBlock})`},
    {header: 'Provider', cell: (p) => p.provider},
    {header: 'Peer account', cell: (p) => p.peerAccountId},
    {header: 'Peer network', cell: (p) => `${p.peerNetworkId} (${p.peerNetworkRegion})`},
    {header: 'Routes', cell: (p) => p.routes.join(', ')},
    {header: 'Created', cell: (p, f) => f.date(p.created)},
  ],
}

/** What the provider side must run, as the official CLI prints it after a peering create that needs it. */
export function peeringCommandsText(commands: PeeringCommand[]): string {
  return ['Upstream provider requires configuration.', ...commands.map((c) => `\n${c.title}:\n${c.value}`)].join('\n') + '\n'
}

/** `--json`: the commands, `fileName` only when present. */
export function peeringCommandsJson(commands: PeeringCommand[]): string {
  const items = commands.map((c) => ({
    ...(c.fileName === undefined ? {} : {fileName: c.fileName}),
    language: c.language,
    title: c.title,
    value: c.value,
  }))
  return JSON.stringify(items, null, 2)
}
