import {useState} from 'preact/hooks'

import {api, type Delivery, type Integration, type Scope} from '../api.js'
import {utc} from '../format.js'
import {html} from '../html.js'
import {usePoll} from '../poll.js'
import {ConfirmDialog, FieldError, Panel} from './common.js'

const SINKS = {slack: 'Slack', opsGenie: 'OpsGenie', webhook: 'Webhook'} as const
type Sink = keyof typeof SINKS

/** Where an integration sends, without its secret (the API shows secrets masked only). */
function target(data: Integration['data']): string {
  if (data.sink === 'slack') return `channel ${String(data.channelId)}`
  if (data.sink === 'webhook') return String(data.url)
  return String(data.sink)
}

export function IntegrationsView({scope}: {scope: Scope}) {
  const {data, error, reload} = usePoll(async () => (await api<{integrations: Integration[]}>('GET', scope.integrate)).integrations)
  const [creating, setCreating] = useState(false)
  const [log, setLog] = useState<Integration | undefined>(undefined)
  const [editing, setEditing] = useState<Integration | undefined>(undefined)
  const [deleting, setDeleting] = useState<Integration | undefined>(undefined)
  const [message, setMessage] = useState<string | undefined>(undefined)
  if (!data) return html`<p>${error ?? 'Loading…'}</p>`
  const sendTest = async (integration: Integration) => {
    try {
      const result = await api<{delivered: boolean; statusCode?: number; error?: string}>(
        'POST',
        `${scope.integrate}/${integration.id}/test`,
      )
      setMessage(
        result.delivered ? `Test delivered to ${integration.description}.` : `Test not delivered: ${result.error ?? result.statusCode}`,
      )
    } catch (e) {
      setMessage((e as Error).message)
    }
  }
  return html`
    ${error ? html`<p class="error" role="alert">${error}</p>` : null} ${message ? html`<p role="status">${message}</p>` : null}
    <button type="button" onClick=${() => setCreating(true)}>Create integration</button>
    ${
      data.length === 0
        ? html`<p>No integrations yet.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">Integration</th>
                <th scope="col">Sink</th>
                <th scope="col">Sends to</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              ${data.map(
                (i) =>
                  html`<tr key=${i.id} data-id=${i.id}>
                    <th scope="row">
                      ${i.description}
                      <div class="sub">${i.id}</div>
                    </th>
                    <td>${SINKS[i.data.sink as Sink] ?? i.data.sink}</td>
                    <td>${target(i.data)}</td>
                    <td class="actions">
                      <button type="button" onClick=${() => sendTest(i)}>Send test</button>
                      <button type="button" onClick=${() => setLog(i)}>Delivery log</button>
                      <button type="button" onClick=${() => setEditing(i)}>Edit</button>
                      <button type="button" class="danger" onClick=${() => setDeleting(i)}>Delete</button>
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    ${
      creating
        ? html`<${CreateIntegrationPanel}
            scope=${scope}
            onDone=${() => {
              setCreating(false)
              reload()
            }}
          />`
        : null
    }
    ${log ? html`<${DeliveryLog} key=${log.id} scope=${scope} integration=${log} onClose=${() => setLog(undefined)} />` : null}
    ${
      editing
        ? html`<${EditIntegrationPanel}
            key=${editing.id}
            scope=${scope}
            integration=${editing}
            onDone=${() => {
              setEditing(undefined)
              reload()
            }}
          />`
        : null
    }
    ${
      deleting
        ? html`<${ConfirmDialog}
            title=${`Delete the integration "${deleting.description}"?`}
            message="Its notifications stop; its delivery log goes with it."
            confirm="Delete integration"
            onCancel=${() => setDeleting(undefined)}
            onConfirm=${async () => {
              setDeleting(undefined)
              try {
                await api('DELETE', `${scope.integrate}/${deleting.id}`)
                setMessage(`Deleted ${deleting.description}.`)
              } catch (e) {
                setMessage((e as Error).message)
              }
              reload()
            }}
          />`
        : null
    }
  `
}

function DeliveryLog(props: {scope: Scope; integration: Integration; onClose: () => void}) {
  const {data} = usePoll(
    async () => (await api<{deliveries: Delivery[]}>('GET', `${props.scope.integrate}/${props.integration.id}/deliveries`)).deliveries,
  )
  return html`<${Panel} title=${`Deliveries of ${props.integration.description}`} onClose=${props.onClose}>
    ${
      !data || data.length === 0
        ? html`<p>No deliveries yet.</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Event</th>
                <th scope="col">Attempt</th>
                <th scope="col">State</th>
                <th scope="col">Answer</th>
              </tr>
            </thead>
            <tbody>
              ${data.map(
                (d) =>
                  html`<tr key=${d.id}>
                    <td>${utc(d.attemptedAt)}</td>
                    <td>${d.event}</td>
                    <td>${d.attempt}</td>
                    <td>${d.state}</td>
                    <td>${d.error ?? d.statusCode ?? ''}</td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
  <//>`
}

function CreateIntegrationPanel(props: {scope: Scope; onDone: () => void}) {
  const [sink, setSink] = useState<Sink>('webhook')
  const [fields, setFields] = useState<Record<string, string>>({description: ''})
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const set = (name: string) => (e: Event) => setFields({...fields, [name]: (e.target as HTMLInputElement).value})
  const input = (name: string, label: string, type = 'text') =>
    html` <label for=${`integration-${name}`}>${label}</label>
      <input id=${`integration-${name}`} type=${type} value=${fields[name] ?? ''} onInput=${set(name)} autocomplete="off" />`
  const submit = async (e: Event) => {
    e.preventDefault()
    const data: Record<string, string> = {sink}
    if (sink === 'slack') Object.assign(data, {channelId: fields.channelId ?? '', token: fields.token ?? ''})
    else if (sink === 'opsGenie') data.apiKey = fields.apiKey ?? ''
    else {
      data.url = fields.url ?? ''
      if (fields.secret) data.secret = fields.secret
    }
    try {
      await api('POST', props.scope.integrate, {data, description: fields.description})
      props.onDone()
    } catch (error) {
      setFailure((error as Error).message)
    }
  }
  return html`<${Panel} title="Create integration" onClose=${props.onDone}>
    <form onSubmit=${submit}>
      <label for="integration-sink">Sink</label>
      <select id="integration-sink" value=${sink} onChange=${(e: Event) => setSink((e.target as HTMLSelectElement).value as Sink)}>
        ${Object.entries(SINKS).map(([value, label]) => html`<option key=${value} value=${value}>${label}</option>`)}
      </select>
      ${input('description', 'Description')}
      ${sink === 'slack' ? html`${input('channelId', 'Channel id')} ${input('token', 'Token', 'password')}` : null}
      ${sink === 'opsGenie' ? input('apiKey', 'API key', 'password') : null}
      ${sink === 'webhook' ? html`${input('url', 'URL', 'url')} ${input('secret', 'Signing secret (optional)', 'password')}` : null}
      <${FieldError} id="integration-failure" message=${failure} />
      <button type="submit">Create integration</button>
    </form>
  <//>`
}

/** Changes an integration's description; its sink and secrets stay (the CLI's `integrations update` changes those). */
function EditIntegrationPanel(props: {scope: Scope; integration: Integration; onDone: () => void}) {
  const [description, setDescription] = useState(props.integration.description)
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const submit = async (e: Event) => {
    e.preventDefault()
    if (!description.trim()) return setFailure('a description is required')
    try {
      await api('PUT', `${props.scope.integrate}/${props.integration.id}`, {description})
      props.onDone()
    } catch (error) {
      setFailure((error as Error).message)
    }
  }
  return html`<${Panel} title=${`Edit ${props.integration.description}`} onClose=${props.onDone}>
    <form onSubmit=${submit}>
      <label for="edit-integration-description">Description</label>
      <input
        id="edit-integration-description"
        value=${description}
        aria-describedby="edit-integration-failure"
        onInput=${(e: Event) => setDescription((e.target as HTMLInputElement).value)}
        autocomplete="off"
      />
      <${FieldError} id="edit-integration-failure" message=${failure} />
      <button type="submit">Save</button>
    </form>
  <//>`
}
