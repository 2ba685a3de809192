import {useEffect, useState} from 'preact/hooks'

import {api, ApiError, type Backup, type Cluster, listProjects, type Network, type Project, type Scope, scopeOf} from '../api.js'
import {html} from '../html.js'
import {POLL_MS} from '../poll.js'
import {FieldError, Panel, StatusBadge} from './common.js'

const TOPOLOGIES = ['single-node', 'three-node-multi-zone']
const PROJECTION_LEVELS = ['off', 'system', 'user']

interface Form {
  description: string
  projectId: string
  networkId: string
  topology: string
  instanceType: string
  diskSizeGb: string
  diskType: string
  serverVersion: string
  projectionLevel: string
}

/** Where the backup's data lives: a restore stays with the source cluster's provider and region. */
type Place = {provider: string; region: string}

/** The cloud's rules for a restore, checked before anything is sent. */
export function restoreErrors(form: Form, minDiskGb: number, network?: Network, from?: Place): Partial<Record<keyof Form, string>> {
  const errors: Partial<Record<keyof Form, string>> = {}
  if (!form.description.trim()) errors.description = 'a description is required'
  if (!form.networkId.trim()) errors.networkId = 'a network is required'
  else if (network && from) {
    for (const key of ['provider', 'region'] as const) {
      if (network[key] !== from[key]) {
        errors.networkId ??= `a backup cannot be restored to another ${key} (the backup's is ${from[key]}; this network is in ${network[key]})`
      }
    }
  }
  if (network && !errors.networkId && network.status !== 'available') {
    errors.networkId = `the network is ${network.status}; wait until it is available`
  }
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
    projectId: props.scope.projectId,
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
  const from = s ? {provider: s.provider, region: s.region} : undefined
  const [projects, setProjects] = useState<Project[]>([])
  const [networks, setNetworks] = useState<Network[]>([])
  const target = scopeOf(props.scope.organizationId, form.projectId)
  useEffect(() => {
    listProjects(props.scope.organizationId).then(setProjects, (e: Error) => setFailure(e.message))
  }, [])
  // The networks of the chosen project; the source's network when it is one of them, else the first in the backup's region.
  useEffect(() => {
    let current = true
    api<{networks: Network[]}>('GET', `${target.infra}/networks`).then(
      ({networks: list}) => {
        if (!current) return
        const live = list.filter((n) => n.status !== 'deleting' && n.status !== 'deleted')
        setNetworks(live)
        setForm((f) => {
          if (live.some((n) => n.id === f.networkId)) return f
          const same = live.find((n) => !from || (n.provider === from.provider && n.region === from.region))
          return {...f, networkId: same?.id ?? live[0]?.id ?? ''}
        })
      },
      (e: Error) => setFailure(e.message),
    )
    return () => {
      current = false
    }
  }, [form.projectId])
  const network = networks.find((n) => n.id === form.networkId)
  const errors = restoreErrors(form, minDisk, network, from)
  const shown = touched ? errors : {}

  useEffect(() => {
    if (!created || created.status === 'available' || created.status === 'defunct') return
    const timer = setTimeout(async () => {
      try {
        setCreated((await api<{cluster: Cluster}>('GET', `${target.mesdb}/clusters/${created.id}`)).cluster)
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
      const {id} = await api<{id: string}>('POST', `${target.mesdb}/clusters`, {
        description: form.description,
        diskSizeGb: Number(form.diskSizeGb),
        diskType: form.diskType,
        instanceType: form.instanceType,
        networkId: form.networkId,
        projectionLevel: form.projectionLevel,
        serverVersion: form.serverVersion,
        sourceBackupId: props.backup.id,
        // A backup of another project is named with its project, as the cloud requires.
        ...(form.projectId === props.scope.projectId ? {} : {sourceBackupProjectId: props.scope.projectId}),
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
  const select = (name: keyof Form, label: string, options: Array<string | {value: string; label: string}>) =>
    html` <label for=${`restore-${name}`}>${label}</label>
      <select
        id=${`restore-${name}`}
        value=${form[name]}
        aria-invalid=${shown[name] ? 'true' : undefined}
        aria-describedby=${`restore-${name}-error`}
        onChange=${(e: Event) => setForm({...form, [name]: (e.target as HTMLSelectElement).value})}
      >
        ${options.map((o) => (typeof o === 'string' ? {value: o, label: o} : o)).map((o) => html`<option key=${o.value} value=${o.value}>${o.label}</option>`)}
      </select>
      <${FieldError} id=${`restore-${name}-error`} message=${shown[name]} />`
  const projectOptions =
    projects.length > 0 ? projects.map((p) => ({value: p.id, label: p.name})) : [{value: form.projectId, label: form.projectId}]
  const networkOptions = [
    {value: '', label: networks.length === 0 ? 'No network in this project' : 'Choose a network'},
    ...networks.map((n) => ({value: n.id, label: `${n.description} (${n.provider} / ${n.region}, ${n.status})`})),
  ]
  return html`<${Panel} title=${`Restore ${props.backup.description}`} onClose=${props.onClose}>
    ${
      created
        ? html`<p role="status" class="restore-progress">New cluster ${created.id}: <${StatusBadge} status=${created.status} /></p>`
        : html`<form onSubmit=${submit} novalidate>
            <p>Backup's provider and region: ${from ? `${from.provider} / ${from.region}` : 'unknown (the source cluster is gone)'}</p>
            ${field('description', 'Description')} ${select('projectId', 'Project', projectOptions)}
            ${select('networkId', 'Network', networkOptions)} ${select('topology', 'Topology', TOPOLOGIES)}
            ${field('instanceType', 'Instance type')} ${field('diskSizeGb', 'Disk size (GiB)', 'number')} ${field('diskType', 'Disk type')}
            ${field('serverVersion', 'Server version')} ${select('projectionLevel', 'Projection level', PROJECTION_LEVELS)}
            <button type="submit">Restore</button>
          </form>`
    }
    <${FieldError} id="restore-failure" message=${failure} />
  <//>`
}
