import {Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {EscError, UsageError} from '../../lib/core/errors.js'

export default class LocalStart extends BaseCommand {
  static override description = 'Start the local cloud: the Kurrent Cloud API on loopback, backed by SQLite and real KurrentDB data directories'
  static override examples = [
    '<%= config.bin %> local start',
    '<%= config.bin %> local start --dir /tmp/esc-local --port 0 --detach',
  ]

  static override flags = {
    dir: Flags.string({description: 'State directory [default: ~/.esc/local] [env: ESC_LOCAL_DIR]'}),
    port: Flags.integer({description: 'Port to listen on; 0 picks a free one', default: 2180, min: 0, max: 65_535}),
    host: Flags.string({description: 'Address to bind; anything but loopback needs this flag and prints a warning [default: 127.0.0.1]'}),
    detach: Flags.boolean({char: 'd', description: 'Run in the background; stop it with `esc local stop`'}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(LocalStart)
    // Server modules load only here, so other commands never pay for them.
    const {resolveStateDir, startDetached} = await import('../../lib/cli/local/control.js')
    const {AlreadyRunningError, isLoopback, serve} = await import('../../lib/cli/local/daemon.js')
    const dir = resolveStateDir(flags.dir)
    const host = flags.host ?? process.env.ESC_LOCAL_HOST ?? '127.0.0.1'
    if (flags.host === undefined && !isLoopback(host)) {
      throw new UsageError(`refusing to bind ${host} (from ESC_LOCAL_HOST): a non-loopback address needs an explicit --host ${host}`)
    }
    if (flags.detach) {
      const argv = this.argv.some((a) => a === '--dir' || a.startsWith('--dir=')) ? this.argv : [...this.argv, '--dir', dir]
      const {banner, warning} = await startDetached(dir, argv).catch((error: Error & {suggestions?: string[]}) => {
        throw new EscError(error.message, {suggestions: error.suggestions ?? []})
      })
      if (warning) process.stderr.write(`${warning}\n`)
      process.stdout.write(banner)
      return
    }
    let started: Awaited<ReturnType<typeof serve>>
    try {
      started = await serve({dir, host, port: flags.port})
    } catch (error) {
      const message = error instanceof AlreadyRunningError ? error.message : `cannot start the local cloud: ${(error as Error).message}`
      const suggestions = error instanceof AlreadyRunningError ? [`Stop it with \`esc local stop --dir ${dir}\``] : []
      process.send?.({error: message, suggestions})
      throw new EscError(message, {suggestions})
    }
    const warning = isLoopback(host)
      ? undefined
      : `Warning: listening on ${host}, which is not loopback: anyone who can reach port ${new URL(started.url).port} can try the API.`
    if (warning) process.stderr.write(`${warning}\n`)
    if (process.send) {
      // Detached: this stderr is server.log, so the parent shows the warning to the user.
      process.send({banner: started.banner, ...(warning ? {warning} : {})})
      process.disconnect?.()
    } else {
      process.stdout.write(started.banner)
      if (process.stdout.isTTY) process.stderr.write('Press Ctrl-C to stop.\n')
    }
    await started.stopped
  }
}
