import {Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {sizeFlag} from '../../lib/cli/base-size-flag.js'
import {EscError} from '../../lib/core/errors.js'

export default class LocalDemoData extends BaseCommand {
  static override enableJsonFlag = true
  static override description = 'Create a demo cluster in the local cloud: generated KurrentDB data and a writer that keeps appending'
  static override flags = {
    dir: Flags.string({description: 'State directory [default: ~/.esc/local] [env: ESC_LOCAL_DIR]'}),
    description: Flags.string({description: 'Description of the demo cluster', default: 'Demo cluster'}),
    chunks: Flags.integer({description: 'Completed chunks to generate', default: 4, min: 1, max: 10_000}),
    'chunk-size': sizeFlag({description: 'Chunk size, e.g. 1MiB, 256KiB or 262144 (bytes)', default: 1024 * 1024, min: 4096}),
    'no-writer': Flags.boolean({description: 'Do not keep appending events to the cluster'}),
  }

  /** The new cluster's id (--json prints it as a JSON string). */
  public async run(): Promise<string> {
    const {flags} = await this.parse(LocalDemoData)
    const {adminRequest, resolveStateDir} = await import('../../lib/cli/local/control.js')
    const dir = resolveStateDir(flags.dir)
    const created = await adminRequest<{id: string; writer: boolean}>(
      dir,
      'POST',
      '/local/v1/demo-data',
      {
        description: flags.description,
        chunks: flags.chunks,
        chunkSize: flags['chunk-size'],
        writer: !flags['no-writer'],
      },
      {debug: this.debugLog()},
    ).catch((error: Error) => {
      throw new EscError(`demo data: ${error.message}`)
    })
    if (this.jsonEnabled()) return created.id
    process.stdout.write(`${created.id}\n`)
    if (process.stderr.isTTY && !process.env.CI) {
      process.stderr.write(`Cluster ${created.id} is available${created.writer ? ' and a writer keeps appending to it' : ''}.\n`)
    }
    return created.id
  }
}
