import {useState} from 'preact/hooks'

import {api, type Backup, type Cluster, type Job, type Scope} from '../api.js'
import {size, utc} from '../format.js'
import {html} from '../html.js'
import {usePoll} from '../poll.js'
import {newestFirst, StatusBadge} from './common.js'
import {RestorePanel} from './restore.js'

type Row = {kind: 'job'; key: string; job?: Job; jobId: string; backups: Backup[]} | {kind: 'manual'; key: string; backup: Backup}

/** One row per job (its backups inside, newest first) and one per manual backup, newest first overall. */
export function backupRows(backups: Backup[], jobs: Job[]): Row[] {
  const byJob = new Map<string, Backup[]>()
  const rows: Row[] = []
  for (const backup of [...backups].sort(newestFirst)) {
    if (!backup.linkedResource) {
      rows.push({kind: 'manual', key: backup.id, backup})
      continue
    }
    let group = byJob.get(backup.linkedResource)
    if (!group) {
      group = []
      byJob.set(backup.linkedResource, group)
      const jobId = backup.linkedResource
      rows.push({kind: 'job', key: `job-${jobId}`, jobId, job: jobs.find((j) => j.id === jobId), backups: group})
    }
    group.push(backup)
  }
  return rows
}

/** One string: htm would collapse the spaces between separate text pieces across lines. */
const groupLabel = (name: string, backups: Backup[]) =>
  `${name}: ${backups.length} backup${backups.length === 1 ? '' : 's'} of ${backups[0].sourceClusterDescription}`

interface Data {
  backups: Backup[]
  jobs: Job[]
  clusters: Cluster[]
}

export function BackupsView({scope}: {scope: Scope}) {
  const {data, error} = usePoll<Data>(async () => {
    const [b, j, c] = await Promise.all([
      api<{backups: Backup[]}>('GET', `${scope.mesdb}/backups`),
      api<{jobs: Job[]}>('GET', `${scope.orchestrate}/jobs`),
      api<{clusters: Cluster[]}>('GET', `${scope.mesdb}/clusters`),
    ])
    return {backups: b.backups, jobs: j.jobs, clusters: c.clusters}
  })
  const [open, setOpen] = useState<Set<string>>(new Set())
  const [restoring, setRestoring] = useState<Backup | undefined>(undefined)
  if (!data) return html`<p>${error ?? 'Loading…'}</p>`
  const toggle = (key: string) => {
    const next = new Set(open)
    if (next.has(key)) next.delete(key)
    else next.add(key)
    setOpen(next)
  }
  const backupRow = (b: Backup, nested: boolean) =>
    html`<tr key=${b.id} class=${nested ? 'nested' : ''} data-id=${b.id}>
      <th scope="row">
        ${b.description}
        <div class="sub">${b.id}</div>
      </th>
      <td>${b.sourceClusterDescription}</td>
      <td>${utc(b.created)}</td>
      <td><${StatusBadge} status=${b.status} details=${b.details} /></td>
      <td>${b.status === 'available' ? size(b.sizeBytes, b.sizeGb) : '—'}</td>
      <td>
        ${b.status === 'available' ? html`<button type="button" onClick=${() => setRestoring(b)} aria-label=${`Restore ${b.description}`}>Restore</button>` : null}
      </td>
    </tr>`
  const rows = backupRows(data.backups, data.jobs)
  return html`
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      rows.length === 0
        ? html`<p>No backups yet: "Create backup" on the Clusters view makes one.</p>`
        : html`<table class="backups">
            <thead>
              <tr>
                <th scope="col">Backup</th>
                <th scope="col">Cluster</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
                <th scope="col">Size</th>
                <th scope="col"><span class="visually-hidden">Actions</span></th>
              </tr>
            </thead>
            ${rows.map((row) => {
              if (row.kind === 'manual')
                return html`<tbody key=${row.key}>
                  ${backupRow(row.backup, false)}
                </tbody>`
              const expanded = open.has(row.key)
              const newest = row.backups[0]
              const name = row.job?.description ?? `job ${row.jobId} (deleted)`
              return html`<tbody key=${row.key} class="job-group" data-job=${row.jobId}>
                <tr class="group">
                  <th scope="row" colspan="2">
                    <button type="button" class="expander" aria-expanded=${expanded ? 'true' : 'false'} onClick=${() => toggle(row.key)}>
                      <span aria-hidden="true">${expanded ? '▾ ' : '▸ '}</span>${groupLabel(name, row.backups)}
                    </button>
                  </th>
                  <td>${utc(newest.created)}</td>
                  <td><${StatusBadge} status=${newest.status} details=${newest.details} /></td>
                  <td colspan="2">${row.job ? `schedule ${row.job.schedule}, keeps ${row.job.data.maxBackupCount}` : ''}</td>
                </tr>
                ${expanded ? row.backups.map((b) => backupRow(b, true)) : null}
              </tbody>`
            })}
          </table>`
    }
    ${
      restoring
        ? html`<${RestorePanel}
            key=${restoring.id}
            scope=${scope}
            backup=${restoring}
            source=${data.clusters.find((c) => c.id === restoring.sourceClusterId)}
            onClose=${() => setRestoring(undefined)}
          />`
        : null
    }
  `
}
