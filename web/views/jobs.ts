import {useState} from 'preact/hooks'

import {api, type HistoryItem, type Job, type Scope} from '../api.js'
import {duration, utc} from '../format.js'
import {html} from '../html.js'
import {usePoll} from '../poll.js'
import {formatUtcRunTime, nextRuns, scheduleInWords} from '../schedule.js'
import {ConfirmDialog, FieldError, StatusBadge} from './common.js'

const FAILED = new Set(['failed', 'defunct', 'error'])

/** Failures first, then newest first. */
export function historyOrder(items: HistoryItem[]): HistoryItem[] {
  return [...items].sort((a, b) => Number(FAILED.has(b.status)) - Number(FAILED.has(a.status)) || b.startTime.localeCompare(a.startTime))
}

function nextRun(schedule: string): string {
  try {
    return formatUtcRunTime(nextRuns(schedule, 1, new Date())[0])
  } catch {
    return '—'
  }
}

export function JobsView({scope}: {scope: Scope}) {
  const {data, error, reload} = usePoll(async () => {
    const [j, h] = await Promise.all([
      api<{jobs: Job[]}>('GET', `${scope.orchestrate}/jobs`),
      api<{items: HistoryItem[]}>('GET', `${scope.orchestrate}/history`),
    ])
    return {jobs: j.jobs, history: h.items}
  })
  const [open, setOpen] = useState<string | undefined>(undefined)
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const [deleting, setDeleting] = useState<Job | undefined>(undefined)
  if (!data) return html`<p>${error ?? 'Loading…'}</p>`
  const act = async (what: () => Promise<unknown>) => {
    try {
      await what()
      setFailure(undefined)
    } catch (e) {
      setFailure((e as Error).message)
    }
    reload()
  }
  return html`
    ${error ? html`<p class="error" role="alert">${error}</p>` : null}
    <${FieldError} id="jobs-failure" message=${failure} />
    ${
      data.jobs.length === 0
        ? html`<p>No jobs yet: "Create backup schedule" on the Clusters view makes one.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Schedule</th>
                <th scope="col">Next run</th>
                <th scope="col">Last outcome</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            ${data.jobs.map((job) => {
              const history = data.history.filter((h) => h.jobId === job.id)
              const last = [...history].sort((a, b) => b.startTime.localeCompare(a.startTime))[0]
              const expanded = open === job.id
              return html`<tbody key=${job.id} data-id=${job.id}>
                <tr>
                  <th scope="row">
                    ${job.description}
                    <div class="sub">${job.id}</div>
                  </th>
                  <td>
                    ${scheduleInWords(job.schedule)}
                    <div class="sub"><code>${job.schedule}</code></div>
                  </td>
                  <td>${nextRun(job.schedule)}</td>
                  <td>${last ? html`<${StatusBadge} status=${last.status} details=${last.details} />` : 'not run yet'}</td>
                  <td class="actions">
                    <button type="button" onClick=${() => act(() => api('POST', `${scope.orchestrate}/jobs/${job.id}/run`))}>
                      Run now
                    </button>
                    <button
                      type="button"
                      aria-expanded=${expanded ? 'true' : 'false'}
                      onClick=${() => setOpen(expanded ? undefined : job.id)}
                    >
                      History (${history.length})
                    </button>
                    <button type="button" class="danger" onClick=${() => setDeleting(job)}>Delete</button>
                  </td>
                </tr>
                ${
                  expanded
                    ? html`<tr class="nested">
                        <td colspan="5">
                          <table class="history" aria-label=${`History of ${job.description}`}>
                            <thead>
                              <tr>
                                <th scope="col">Start</th>
                                <th scope="col">End</th>
                                <th scope="col">Duration</th>
                                <th scope="col">Status</th>
                                <th scope="col">Details</th>
                                <th scope="col">Backup</th>
                              </tr>
                            </thead>
                            <tbody>
                              ${historyOrder(history).map(
                                (h) =>
                                  html`<tr key=${h.id} class=${FAILED.has(h.status) ? 'failed' : ''}>
                                    <td>${utc(h.startTime)}</td>
                                    <td>${utc(h.endTime)}</td>
                                    <td>${duration(h.startTime, h.endTime)}</td>
                                    <td><${StatusBadge} status=${h.status} /></td>
                                    <td>${h.details}</td>
                                    <td><code>${h.linkedResource}</code></td>
                                  </tr>`,
                              )}
                            </tbody>
                          </table>
                        </td>
                      </tr>`
                    : null
                }
              </tbody>`
            })}
          </table>`
    }
    ${
      deleting
        ? html`<${ConfirmDialog}
            title=${`Delete the job "${deleting.description}"?`}
            message="It stops making backups; the backups it made stay."
            confirm="Delete job"
            onCancel=${() => setDeleting(undefined)}
            onConfirm=${() => {
              setDeleting(undefined)
              void act(() => api('DELETE', `${scope.orchestrate}/jobs/${deleting.id}`))
            }}
          />`
        : null
    }
  `
}
