import {Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {EscError} from '../../lib/core/errors.js'

export default class LocalDemoData extends BaseCommand {
  static override description = 'Create a demo cluster in the local cloud: generated KurrentDB data and a writer that keeps appending'
  static override flags = {
    dir: Flags.string({description: 'State directory [default: ~/.esc/local] [env: ESC_LOCAL_DIR]'}),
    description: Flags.string({description: 'Description of the demo cluster', default: 'Demo cluster'}),
    chunks: Flags.integer({description: 'Completed chunks to generate', default: 4, min: 1, max: 10_000}),
    'chunk-size': Flags.integer({description: 'Chunk size in bytes', default: 1024 * 1024, min: 4096}),
    'no-writer': Flags.boolean({description: 'Do not keep appending events to the cluster'}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(LocalDemoData)
    const {adminRequest, resolveStateDir} = await import('../../lib/cli/local/control.js')
    const dir = resolveStateDir(flags.dir)
    const created = await adminRequest<{id: string; writer: boolean}>(dir, 'POST', '/local/v1/demo-data', {
      description: flags.description, chunks: flags.chunks, chunkSize: flags['chunk-size'], writer: !flags['no-writer'],
    }, {debug: this.debugLog()}).catch((error: Error) => {
      throw new EscError(`demo data: ${error.message}`)
    })
    if (flags.json) {
      process.stdout.write(JSON.stringify(created.id))
      return
    }
    process.stdout.write(`${created.id}\n`)
    if (process.stderr.isTTY && !process.env.CI) {
      process.stderr.write(`Cluster ${created.id} is available${created.writer ? ' and a writer keeps appending to it' : ''}.\n`)
    }
  }
}
