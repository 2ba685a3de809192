import {useState} from 'preact/hooks'

import {api, type Backup, type Cluster, type Job, type Scope} from '../api.js'
import {age, utc} from '../format.js'
import {html} from '../html.js'
import {usePoll} from '../poll.js'
import {longestGapMs} from '../schedule.js'
import {lastAvailable, StatusBadge} from './common.js'
import {CreateBackupPanel, CreateSchedulePanel} from './cluster-actions.js'

const DAY_MS = 24 * 3600_000
/** A scheduled run may start a little late and take a while: late only past the gap plus this. */
const SLACK_MS = 15 * 60_000

/** How late the last backup is allowed to be: the cluster's tightest schedule, else a day. */
function allowedAgeMs(jobs: Job[], clusterId: string, now: Date): number {
  const gaps = jobs
    .filter((j) => j.data.clusterId === clusterId)
    .map((j) => longestGapMs(j.schedule, now))
    .filter((g): g is number => g !== undefined)
  return gaps.length > 0 ? Math.min(...gaps) + SLACK_MS : DAY_MS
}

interface Data {
  clusters: Cluster[]
  backups: Backup[]
  jobs: Job[]
}

export function ClustersView({scope}: {scope: Scope}) {
  const {data, error, reload} = usePoll<Data>(async () => {
    const [c, b, j] = await Promise.all([
      api<{clusters: Cluster[]}>('GET', `${scope.mesdb}/clusters`),
      api<{backups: Backup[]}>('GET', `${scope.mesdb}/backups`),
      api<{jobs: Job[]}>('GET', `${scope.orchestrate}/jobs`),
    ])
    return {clusters: c.clusters, backups: b.backups, jobs: j.jobs}
  })
  const [action, setAction] = useState<{kind: 'backup' | 'schedule'; cluster: Cluster} | undefined>(undefined)
  if (!data) return html`<p>${error ?? 'Loading…'}</p>`
  const now = new Date()
  return html`
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    ${
      data.clusters.length === 0
        ? html`<p>No clusters yet: <code>esc local demo-data</code> makes one with live data.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Cluster</th>
                <th scope="col">Status</th>
                <th scope="col">Size</th>
                <th scope="col">Last backup</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              ${data.clusters.map((cluster) => {
                const last = lastAvailable(data.backups, cluster.id)
                const ageMs = last ? now.getTime() - new Date(last.created).getTime() : undefined
                const late = ageMs === undefined || ageMs > allowedAgeMs(data.jobs, cluster.id, now)
                return html`<tr key=${cluster.id} data-id=${cluster.id}>
                  <th scope="row">
                    ${cluster.description}
                    <div class="sub">${cluster.id}</div>
                  </th>
                  <td><${StatusBadge} status=${cluster.status} /></td>
                  <td>${cluster.instanceType}, ${cluster.diskSizeGb} GiB ${cluster.diskType}, ${cluster.topology}</td>
                  <td class=${late ? 'late' : 'fresh'}>
                    ${
                      last
                        ? html`${utc(last.created)}
                            <div class="sub">${age(ageMs!)} ago${late ? ' — late' : ''}</div>`
                        : 'never — late'
                    }
                  </td>
                  <td class="actions">
                    <button type="button" onClick=${() => setAction({kind: 'backup', cluster})}>Create backup</button>
                    <button type="button" onClick=${() => setAction({kind: 'schedule', cluster})}>Create backup schedule</button>
                  </td>
                </tr>`
              })}
            </tbody>
          </table>`
    }
    ${
      action?.kind === 'backup'
        ? html`<${CreateBackupPanel}
            key=${action.cluster.id}
            scope=${scope}
            cluster=${action.cluster}
            existing=${data.backups.filter((b) => b.sourceClusterId === action.cluster.id).length}
            onDone=${() => {
              setAction(undefined)
              reload()
            }}
          />`
        : null
    }
    ${
      action?.kind === 'schedule'
        ? html`<${CreateSchedulePanel}
            key=${action.cluster.id}
            scope=${scope}
            cluster=${action.cluster}
            onDone=${() => setAction(undefined)}
          />`
        : null
    }
  `
}
