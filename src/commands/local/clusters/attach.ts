import {Flags} from '@oclif/core'

import {BaseCommand} from '../../../lib/base-command.js'
import {EscError} from '../../../lib/errors.js'

export default class LocalClustersAttach extends BaseCommand {
  static override description = "Register a self-hosted KurrentDB node's data directory as a cluster of the local cloud"
  static override examples = [
    '<%= config.bin %> local clusters attach --db /var/lib/kurrentdb --node-url http://127.0.0.1:2113 --description "prod node 1"',
  ]

  static override flags = {
    dir: Flags.string({description: 'State directory [default: ~/.esc/local] [env: ESC_LOCAL_DIR]'}),
    db: Flags.string({description: "The node's database directory (chunks and checkpoints)", required: true}),
    index: Flags.string({description: "The node's index directory, when not <db>/index"}),
    'node-url': Flags.string({description: "The node's HTTP URL: backups then check the node (node guard) while they copy"}),
    description: Flags.string({description: 'A human-readable description of the cluster'}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(LocalClustersAttach)
    const {adminRequest, resolveStateDir} = await import('../../../local/control.js')
    const {resolve} = await import('node:path')
    const dir = resolveStateDir(flags.dir)
    const body: Record<string, string> = {db: resolve(flags.db)}
    if (flags.index) body.index = resolve(flags.index)
    if (flags['node-url']) body.nodeUrl = flags['node-url']
    if (flags.description) body.description = flags.description
    const created = await adminRequest<{id: string}>(dir, 'POST', '/local/v1/clusters/attach', body).catch((error: Error) => {
      throw new EscError(`attach: ${error.message}`)
    })
    process.stdout.write(flags.json ? JSON.stringify(created.id) : `${created.id}\n`)
  }
}
