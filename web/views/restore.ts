import {useEffect, useState} from 'preact/hooks'

import {api, ApiError, type Backup, type Cluster, type Scope} from '../api.js'
import {html} from '../html.js'
import {POLL_MS} from '../poll.js'
import {FieldError, Panel, StatusBadge} from './common.js'

const TOPOLOGIES = ['single-node', 'three-node-multi-zone']
const PROJECTION_LEVELS = ['off', 'system', 'user']

interface Form {
  description: string
  networkId: string
  topology: string
  instanceType: string
  diskSizeGb: string
  diskType: string
  serverVersion: string
  projectionLevel: string
}

/** The cloud's rules for a restore, checked before anything is sent. */
export function restoreErrors(form: Form, minDiskGb: number): Partial<Record<keyof Form, string>> {
  const errors: Partial<Record<keyof Form, string>> = {}
  if (!form.description.trim()) errors.description = 'a description is required'
  if (!form.networkId.trim()) errors.networkId = 'a network is required'
  if (!form.instanceType.trim()) errors.instanceType = 'an instance type is required (e.g. F1, C4)'
  const disk = Number(form.diskSizeGb)
  if (!Number.isInteger(disk) || disk < minDiskGb) errors.diskSizeGb = `a whole number of GiB, at least ${minDiskGb} (the source's disk)`
  if (!form.diskType.trim()) errors.diskType = 'a disk type is required'
  if (!form.serverVersion.trim()) errors.serverVersion = 'a server version is required'
  return errors
}

/** "Restore": a new cluster from the backup, pre-filled from its source cluster, followed until it settles. */
export function RestorePanel(props: {scope: Scope; backup: Backup; source?: Cluster; onClose: () => void}) {
  const s = props.source
  const minDisk = s?.diskSizeGb ?? Math.max(1, props.backup.sizeGb)
  const [form, setForm] = useState<Form>({
    description: `${props.backup.sourceClusterDescription} restored`,
    networkId: s?.networkId ?? '',
    topology: s?.topology ?? 'single-node',
    instanceType: s?.instanceType ?? '',
    diskSizeGb: String(minDisk),
    diskType: s?.diskType ?? '',
    serverVersion: s?.serverVersion ?? '',
    projectionLevel: s?.projectionLevel ?? 'off',
  })
  const [touched, setTouched] = useState(false)
  const [failure, setFailure] = useState<string | undefined>(undefined)
  const [created, setCreated] = useState<Cluster | {id: string; status: string} | undefined>(undefined)
  const errors = restoreErrors(form, minDisk)
  const shown = touched ? errors : {}

  useEffect(() => {
    if (!created || created.status === 'available' || created.status === 'defunct') return
    const timer = setTimeout(async () => {
      try {
        setCreated((await api<{cluster: Cluster}>('GET', `${props.scope.mesdb}/clusters/${created.id}`)).cluster)
      } catch (e) {
        setFailure((e as Error).message)
      }
    }, POLL_MS / 2)
    return () => clearTimeout(timer)
  }, [created])

  const submit = async (e: Event) => {
    e.preventDefault()
    setTouched(true)
    if (Object.keys(errors).length > 0) return
    try {
      const {id} = await api<{id: string}>('POST', `${props.scope.mesdb}/clusters`, {
        description: form.description,
        diskSizeGb: Number(form.diskSizeGb),
        diskType: form.diskType,
        instanceType: form.instanceType,
        networkId: form.networkId,
        projectionLevel: form.projectionLevel,
        serverVersion: form.serverVersion,
        sourceBackupId: props.backup.id,
        topology: form.topology,
      })
      setCreated({id, status: 'creating'})
    } catch (error) {
      setFailure((error as ApiError).message)
    }
  }
  const field = (name: keyof Form, label: string, type = 'text') =>
    html` <label for=${`restore-${name}`}>${label}</label>
      <input
        id=${`restore-${name}`}
        type=${type}
        value=${form[name]}
        aria-invalid=${shown[name] ? 'true' : undefined}
        aria-describedby=${`restore-${name}-error`}
        onInput=${(e: Event) => setForm({...form, [name]: (e.target as HTMLInputElement).value})}
      />
      <${FieldError} id=${`restore-${name}-error`} message=${shown[name]} />`
  const select = (name: keyof Form, label: string, options: string[]) =>
    html` <label for=${`restore-${name}`}>${label}</label>
      <select
        id=${`restore-${name}`}
        value=${form[name]}
        onChange=${(e: Event) => setForm({...form, [name]: (e.target as HTMLSelectElement).value})}
      >
        ${options.map((o) => html`<option key=${o} value=${o}>${o}</option>`)}
      </select>`
  return html`<${Panel} title=${`Restore ${props.backup.description}`} onClose=${props.onClose}>
    ${
      created
        ? html`<p role="status" class="restore-progress">New cluster ${created.id}: <${StatusBadge} status=${created.status} /></p>`
        : html`<form onSubmit=${submit} novalidate>
            <p>Project: ${props.scope.projectId}</p>
            ${field('description', 'Description')} ${field('networkId', 'Network')} ${select('topology', 'Topology', TOPOLOGIES)}
            ${field('instanceType', 'Instance type')} ${field('diskSizeGb', 'Disk size (GiB)', 'number')} ${field('diskType', 'Disk type')}
            ${field('serverVersion', 'Server version')} ${select('projectionLevel', 'Projection level', PROJECTION_LEVELS)}
            <button type="submit">Restore</button>
          </form>`
    }
    <${FieldError} id="restore-failure" message=${failure} />
  <//>`
}
