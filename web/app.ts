import {render} from 'preact'
import {useEffect, useState} from 'preact/hooks'

import {currentUser, loadScope, type Scope, signOut} from './api.js'
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

export function navigate(path: string): void {
  history.pushState(null, '', path)
  dispatchEvent(new PopStateEvent('popstate'))
}

function App() {
  const [path, setPath] = useState(location.pathname)
  const [scope, setScope] = useState<Scope | undefined>(undefined)
  const [error, setError] = useState<string | undefined>(undefined)
  useEffect(() => {
    const onPop = () => setPath(location.pathname)
    addEventListener('popstate', onPop)
    loadScope().then(setScope, (e: Error) => setError(e.message))
    return () => removeEventListener('popstate', onPop)
  }, [])
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
                  href=${v.path}
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
      <span class="user">${currentUser()}</span>
      <button type="button" onClick=${() => void signOut()}>Sign out</button>
    </header>
    <main id="main">
      <h1>${current.title}</h1>
      ${error ? html`<p class="error" role="alert">${error}</p>` : scope ? html`<${View} scope=${scope} />` : html`<p>Loading…</p>`}
    </main>
  `
}

render(html`<${App} />`, document.getElementById('app')!)
