import type Database from 'better-sqlite3'

import {isId, newId} from '../ids.js'

/**
 * Part of migration 6, frozen with it. Before networks were served, clusters carried a network id
 * nothing could list: `local` for attached and demo clusters, and whatever `clusters create` was
 * given. Each (project, network id) in use becomes an available network row of that project with
 * the cluster's provider and region, so every existing cluster names a network the API serves.
 * Ids that are not of the cloud's shape (`local`, `net`…) get a new id, written into the cluster
 * specs. The default project's `local` network becomes the default network.
 */
export function adoptClusterNetworks(db: Database.Database, now = new Date()): void {
  const clusters = db.prepare('SELECT id, organization_id, project_id, spec FROM clusters ORDER BY created, id').all() as Array<{
    id: string
    organization_id: string
    project_id: string
    spec: string
  }>
  const defaultProject = (db.prepare("SELECT value FROM meta WHERE key = 'default_project_id'").get() as {value: string} | undefined)?.value
  const adopted = new Map<string, string>()
  const taken = new Set<string>()
  let next = 0
  const insert = db.prepare(
    `INSERT INTO networks(id, organization_id, project_id, provider, region, cidr_block, description, public_access, status, created, settles_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, 0, 'available', ?, NULL)`,
  )
  const setSpec = db.prepare('UPDATE clusters SET spec = ? WHERE id = ?')
  for (const cluster of clusters) {
    const spec = JSON.parse(cluster.spec) as {networkId?: string; provider?: string; region?: string}
    const old = spec.networkId ?? 'local'
    const key = `${cluster.project_id}\n${old}`
    let id = adopted.get(key)
    if (id === undefined) {
      id = isId(old) && !taken.has(old) ? old : newId(now.getTime())
      const isLocal = old === 'local'
      // The local network has the default network's block; the others distinct private /16 blocks.
      const cidr = isLocal ? '10.0.0.0/16' : `10.${1 + (next++ % 255)}.0.0/16`
      const description = isLocal ? 'Local network' : `Network ${old}`
      insert.run(
        id,
        cluster.organization_id,
        cluster.project_id,
        spec.provider ?? 'aws',
        spec.region ?? 'local',
        cidr,
        description,
        now.toISOString(),
      )
      if (isLocal && cluster.project_id === defaultProject) {
        db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('default_network_id', ?)").run(id)
      }
      adopted.set(key, id)
      taken.add(id)
    }
    if (id !== old) setSpec.run(JSON.stringify({...spec, networkId: id}), cluster.id)
  }
}
