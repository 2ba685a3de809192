import {render} from 'preact'
import {useEffect, useState} from 'preact/hooks'

import {currentUser, loadProjects, type Project, scopeOf, signOut} from './api.js'
import {html} from './html.js'
import {BackupsView} from './views/backups.js'
import {ClustersView} from './views/clusters.js'
import {IntegrationsView} from './views/integrations.js'
import {JobsView} from './views/jobs.js'

const VIEWS = [
  {path: '/clusters', title: 'Clusters', view: ClustersView},
  {path: '/backups', title: 'Backups', view: BackupsView},
  {path: '/jobs', title: 'Jobs', view: JobsView},
  {path: '/integrations', title: 'Integrations', view: IntegrationsView},
]

/** The project the URL names (?project=<id>), so a reload or a shared link keeps it. */
const projectInUrl = () => new URLSearchParams(location.search).get('project') ?? undefined

/** A view's path with the current project kept in the query. */
function withProject(path: string): string {
  const project = projectInUrl()
  return project ? `${path}?${new URLSearchParams({project})}` : path
}

export function navigate(path: string): void {
  history.pushState(null, '', withProject(path))
  dispatchEvent(new PopStateEvent('popstate'))
}

function ProjectSwitcher(props: {projects: Project[]; value: string; onChange: (id: string) => void}) {
  return html`<span class="project">
    <label for="project">Project</label>
    <select id="project" value=${props.value} onChange=${(e: Event) => props.onChange((e.target as HTMLSelectElement).value)}>
      ${props.projects.map((p) => html`<option key=${p.id} value=${p.id}>${p.name}</option>`)}
    </select>
  </span>`
}

interface Projects {
  organizationId: string
  defaultProjectId: string
  projects: Project[]
}

function App() {
  const [path, setPath] = useState(location.pathname)
  const [projects, setProjects] = useState<Projects | undefined>(undefined)
  const [wanted, setWanted] = useState(projectInUrl())
  const [error, setError] = useState<string | undefined>(undefined)
  useEffect(() => {
    const onPop = () => {
      setPath(location.pathname)
      setWanted(projectInUrl())
    }
    addEventListener('popstate', onPop)
    loadProjects().then(setProjects, (e: Error) => setError(e.message))
    return () => removeEventListener('popstate', onPop)
  }, [])
  // A project the URL names that is not (or no longer) in the organization falls back to the local one.
  const projectId = projects && (projects.projects.some((p) => p.id === wanted) ? wanted! : projects.defaultProjectId)
  const scope = projects && projectId ? scopeOf(projects.organizationId, projectId) : undefined
  const switchTo = (id: string) => {
    history.pushState(null, '', `${location.pathname}?${new URLSearchParams({project: id})}`)
    setWanted(id)
  }
  const current = VIEWS.find((v) => v.path === path) ?? VIEWS[0]
  useEffect(() => {
    document.title = `${current.title} · esc local console`
  }, [current])
  const View = current.view
  return html`
    <header class="top">
      <span class="brand">esc local console</span>
      <nav aria-label="Views">
        <ul>
          ${VIEWS.map(
            (v) =>
              html`<li key=${v.path}>
                <a
                  href=${withProject(v.path)}
                  aria-current=${v === current ? 'page' : undefined}
                  onClick=${(e: MouseEvent) => {
                    e.preventDefault()
                    navigate(v.path)
                  }}
                  >${v.title}</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      ${projects && projectId ? html`<${ProjectSwitcher} projects=${projects.projects} value=${projectId} onChange=${switchTo} />` : null}
      <span class="user">${currentUser()}</span>
      <button type="button" onClick=${() => void signOut()}>Sign out</button>
    </header>
    <main id="main">
      <h1>${current.title}</h1>
      ${error ? html`<p class="error" role="alert">${error}</p>` : scope ? html`<${View} key=${scope.projectId} scope=${scope} />` : html`<p>Loading…</p>`}
    </main>
  `
}

render(html`<${App} />`, document.getElementById('app')!)
