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

  /**
   * Where a cluster's data is: a managed cluster's under this state directory, derived from its id
   * (so a state directory that was moved or restored elsewhere keeps working); an attached node's
   * where it was attached.
   */
  clusterData(cluster: {id: string; kind: string; db_dir: string}): string {
    return cluster.kind === 'attached' ? cluster.db_dir : this.clusterDb(cluster.id)
  }

  /** A backup's directory, derived from its id for the same reason (the stored path is a record only). */
  backupDir(id: string): string {
    return join(this.root, 'backups', id)
  }
}
