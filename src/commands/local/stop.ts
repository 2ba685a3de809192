import {Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {EscError} from '../../lib/core/errors.js'

export default class LocalStop extends BaseCommand {
  static override description =
    'Stop the local cloud running on a state directory (waits for running copies to reach a safe point and for the process to exit)'
  static override flags = {
    dir: Flags.string({description: 'State directory [default: ~/.esc/local] [env: ESC_LOCAL_DIR]'}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(LocalStop)
    const {resolveStateDir, stopServer} = await import('../../lib/cli/local/control.js')
    const dir = resolveStateDir(flags.dir)
    try {
      const info = await stopServer(dir)
      process.stdout.write(`Stopped the local cloud at ${info.url} (pid ${info.pid} has exited)\n`)
    } catch (error) {
      throw new EscError((error as Error).message)
    }
  }
}
