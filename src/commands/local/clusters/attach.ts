import {Flags} from '@oclif/core'

import {BaseCommand} from '../../../lib/cli/base-command.js'
import {EscError, UsageError} from '../../../lib/core/errors.js'

export default class LocalClustersAttach extends BaseCommand {
  static override enableJsonFlag = true
  static override description = "Register a self-hosted KurrentDB node's data directory as a cluster of the local cloud"
  static override examples = [
    '<%= config.bin %> local clusters attach --db /var/lib/kurrentdb --node-url http://127.0.0.1:2113 --description "prod node 1"',
    '<%= config.bin %> local clusters attach --db /data/db --index /data/index --node-url https://node1:2113 --username admin --password changeit --ca-file /etc/kurrentdb/ca.crt',
  ]

  static override flags = {
    dir: Flags.string({description: 'State directory [default: ~/.esc/local] [env: ESC_LOCAL_DIR]'}),
    db: Flags.string({description: "The node's database directory (chunks and checkpoints)", required: true}),
    index: Flags.string({description: "The node's index directory, when not <db>/index"}),
    'node-url': Flags.string({description: "The node's HTTP URL: backups then check the node (node guard) while they copy"}),
    username: Flags.string({description: 'User for --node-url ($admins or $ops)', env: 'ESC_NODE_USERNAME'}),
    password: Flags.string({description: 'Password for --node-url (kept in the state database, mode 0600)', env: 'ESC_NODE_PASSWORD'}),
    'ca-file': Flags.string({description: "PEM file of the CA that signed the node's certificate (read at each backup)"}),
    insecure: Flags.boolean({description: "Don't verify the node's TLS certificate"}),
    description: Flags.string({description: 'A human-readable description of the cluster'}),
  }

  /** The new cluster's id (--json prints it as a JSON string). */
  public async run(): Promise<string> {
    const {flags} = await this.parse(LocalClustersAttach)
    const {adminRequest, resolveStateDir} = await import('../../../lib/cli/local/control.js')
    const {resolve} = await import('node:path')
    const dir = resolveStateDir(flags.dir)
    // (--username/--password may come from the environment, so only these are refused without a URL.)
    if (!flags['node-url'] && (flags['ca-file'] || flags.insecure)) throw new UsageError('--ca-file and --insecure need --node-url')
    // Relative paths mean the user's working directory: resolved here, never by the server (which
    // refuses anything not absolute).
    const body: Record<string, boolean | string> = {db: resolve(flags.db)}
    if (flags.index) body.index = resolve(flags.index)
    if (flags['node-url']) {
      body.nodeUrl = flags['node-url']
      if (flags.username !== undefined) body.nodeUsername = flags.username
      if (flags.password !== undefined) body.nodePassword = flags.password
      if (flags['ca-file']) {
        const {existsSync} = await import('node:fs')
        if (!existsSync(resolve(flags['ca-file']))) throw new UsageError(`--ca-file ${flags['ca-file']}: no such file`)
        body.nodeCaFile = resolve(flags['ca-file'])
      }
      if (flags.insecure) body.nodeInsecure = true
    }
    if (flags.description) body.description = flags.description
    const created = await adminRequest<{id: string}>(dir, 'POST', '/local/v1/clusters/attach', body, {debug: this.debugLog()}).catch(
      (error: Error) => {
        throw new EscError(`attach: ${error.message}`)
      },
    )
    if (!this.jsonEnabled()) process.stdout.write(`${created.id}\n`)
    return created.id
  }
}
