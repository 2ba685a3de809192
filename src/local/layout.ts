import {join} from 'node:path'

/** Where the local cloud keeps things under its state directory (`--dir`). */
export class StateLayout {
  constructor(readonly root: string) {}

  get database(): string {
    return join(this.root, 'state.db')
  }

  get serverLock(): string {
    return join(this.root, 'server.lock')
  }

  /** pid, url and start time of the running server (for stop/status). */
  get serverInfo(): string {
    return join(this.root, 'server.json')
  }

  /** The admin client's credentials, 0600, for the `esc local …` commands. */
  get adminCredentials(): string {
    return join(this.root, 'admin-credentials.json')
  }

  get logFile(): string {
    return join(this.root, 'server.log')
  }

  clusterDir(id: string): string {
    return join(this.root, 'clusters', id)
  }

  clusterDb(id: string): string {
    return join(this.root, 'clusters', id, 'db')
  }

  backupDir(id: string): string {
    return join(this.root, 'backups', id)
  }
}
