import {useState} from 'preact/hooks'

import {JOB_TYPES} from '../../src/lib/contract/enums.js'
import {api, ApiError, type Cluster, type Scope} from '../api.js'
import {html} from '../html.js'
import {previewLabel} from '../labels.js'
import {checkSchedule, formatUtcRunTime} from '../schedule.js'
import {FieldError, Panel} from './common.js'

const value = (e: Event) => (e.target as HTMLInputElement).value

/** "Create backup": the label template, its live preview (the CLI's renderer), and the request. */
export function CreateBackupPanel(props: {scope: Scope; cluster: Cluster; existing: number; onDone: () => void}) {
  const [template, setTemplate] = useState('{cluster} backup {index} {datetime}')
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const [busy, setBusy] = useState(false)
  const preview = previewLabel(template, props.cluster, props.existing, new Date())
  const submit = async (e: Event) => {
    e.preventDefault()
    if ('error' in preview) return
    setBusy(true)
    try {
      await api('POST', `${props.scope.mesdb}/backups`, {description: template, sourceClusterId: props.cluster.id})
      props.onDone()
    } catch (error) {
      setFailure((error as ApiError).message)
      setBusy(false)
    }
  }
  return html`<${Panel} title=${`Create backup of ${props.cluster.description}`} onClose=${props.onDone}>
    <form onSubmit=${submit}>
      <label for="label-template">Label template</label>
      <input
        id="label-template"
        value=${template}
        onInput=${(e: Event) => setTemplate(value(e))}
        aria-describedby="label-preview label-error"
      />
      <p class="hint">Tokens: {cluster}, {cluster:id}, {index}, {datetime}, {datetime:rfc3339}…</p>
      <p id="label-preview" aria-live="polite">Preview: <output>${'label' in preview ? preview.label : ''}</output></p>
      <${FieldError} id="label-error" message=${'error' in preview ? preview.error : undefined} />
      <${FieldError} id="backup-failure" message=${failure} />
      <button type="submit" disabled=${busy || 'error' in preview}>Create backup</button>
    </form>
  <//>`
}

/** "Create backup schedule": checked as you type with the CLI's schedule rules, next five runs shown. */
export function CreateSchedulePanel(props: {scope: Scope; cluster: Cluster; onDone: () => void}) {
  const [description, setDescription] = useState(`${props.cluster.description} scheduled backup`)
  const [schedule, setSchedule] = useState('0 */6 * * *')
  const [max, setMax] = useState('7')
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const [created, setCreated] = useState<string | undefined>(undefined)
  const check = checkSchedule(schedule, new Date())
  const maxNumber = Number(max)
  const maxError = Number.isInteger(maxNumber) && maxNumber >= 1 && maxNumber <= 1000 ? undefined : 'a whole number from 1 to 1000'
  const descriptionError = description.trim() ? undefined : 'a description is required'
  const invalid = 'error' in check || maxError !== undefined || descriptionError !== undefined
  const submit = async (e: Event) => {
    e.preventDefault()
    if (invalid) return
    try {
      const job = await api<{id: string}>('POST', `${props.scope.orchestrate}/jobs`, {
        type: JOB_TYPES[0],
        data: {clusterId: props.cluster.id, description, maxBackupCount: maxNumber},
        description,
        schedule: schedule.trim(),
      })
      setCreated(job.id)
      setFailure(undefined)
    } catch (error) {
      setFailure((error as ApiError).message)
    }
  }
  return html`<${Panel} title=${`Create backup schedule for ${props.cluster.description}`} onClose=${props.onDone}>
    <form onSubmit=${submit}>
      <label for="job-description">Description</label>
      <input
        id="job-description"
        value=${description}
        onInput=${(e: Event) => setDescription(value(e))}
        aria-describedby="job-description-error"
      />
      <${FieldError} id="job-description-error" message=${descriptionError} />
      <label for="job-schedule">Schedule (cron, UTC)</label>
      <input id="job-schedule" value=${schedule} onInput=${(e: Event) => setSchedule(value(e))} aria-describedby="job-schedule-check" />
      <div id="job-schedule-check" aria-live="polite">
        ${
          'error' in check
            ? html`<p class="field-error" role="alert">${check.error}</p>`
            : html`<p>Next runs:</p>
                <ol class="runs">
                  ${check.runs.map((r) => html`<li key=${r.toISOString()}>${formatUtcRunTime(r)}</li>`)}
                </ol>`
        }
      </div>
      <label for="job-max">Max backup count</label>
      <input
        id="job-max"
        type="number"
        min="1"
        max="1000"
        value=${max}
        onInput=${(e: Event) => setMax(value(e))}
        aria-describedby="job-max-error"
      />
      <${FieldError} id="job-max-error" message=${maxError} />
      <${FieldError} id="job-failure" message=${failure} />
      ${created ? html`<p role="status">Created job ${created}.</p>` : null}
      <button type="submit" disabled=${invalid}>Create schedule</button>
    </form>
  <//>`
}
