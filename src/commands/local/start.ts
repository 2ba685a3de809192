import {Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {describeError} from '../../lib/cli/error-exit.js'
import {EscError, isEscError, UsageError} from '../../lib/core/errors.js'

export default class LocalStart extends BaseCommand {
  static override description =
    'Start the local cloud: the Kurrent Cloud API on loopback, backed by SQLite and real KurrentDB data directories\n\n' +
    'backup-store, port and profile may also be set in a TOML file, <dir>/config.toml or the one --config names ' +
    '(e.g. backup-store = "s3://my-bucket/esc-local"). A flag wins over its environment variable, which wins over ' +
    'the file, which wins over the default. A file with an error stops the start.'
  static override examples = [
    '<%= config.bin %> local start',
    '<%= config.bin %> local start --dir /tmp/esc-local --port 0 --detach',
    '<%= config.bin %> local start --backup-store s3://my-bucket/esc-local',
    '<%= config.bin %> local start --config ./esc-local.toml',
  ]

  static override flags = {
    dir: Flags.string({description: 'State directory [default: ~/.esc/local] [env: ESC_LOCAL_DIR]'}),
    config: Flags.string({description: 'Configuration file (TOML: backup-store, port, profile) [default: <dir>/config.toml]'}),
    port: Flags.integer({description: 'Port to listen on; 0 picks a free one', default: 2180, min: 0, max: 65_535}),
    host: Flags.string({description: 'Address to bind; anything but loopback needs this flag and prints a warning [default: 127.0.0.1]'}),
    detach: Flags.boolean({char: 'd', description: 'Run in the background; stop it with `esc local stop`'}),
    profile: Flags.string({
      description: 'The profile of settings.toml to point at this local cloud (kept when it points at another one that runs)',
      default: 'local',
    }),
    'backup-store': Flags.string({
      description: 'Keep every backup of every cluster in this S3 repository (s3://bucket/prefix) instead of the state directory',
      env: 'ESC_LOCAL_BACKUP_STORE',
    }),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(LocalStart)
    // Server modules load only here, so other commands never pay for them.
    const {resolveStateDir} = await import('../../lib/cli/local/control.js')
    const {isLoopback} = await import('../../lib/cli/local/daemon.js')
    const dir = resolveStateDir(flags.dir)
    const {refuseFile} = await import('../../lib/cli/node-input.js')
    await refuseFile(dir, 'give --dir a directory (created when missing)')
    const host = flags.host ?? process.env.ESC_LOCAL_HOST ?? '127.0.0.1'
    if (flags.host === undefined && !isLoopback(host)) {
      throw new UsageError(`refusing to bind ${host} (from ESC_LOCAL_HOST): a non-loopback address needs an explicit --host ${host}`)
    }
    // oclif fills in a flag's default (and reads its variable): what was typed is what comes before the file.
    const typed = (name: string) => this.argv.some((a) => a === `--${name}` || a.startsWith(`--${name}=`))
    const flagged = flags['backup-store']
    if (flagged !== undefined && !flagged.startsWith('s3://')) {
      // oclif reads the variable into the flag: name whichever the user actually set.
      throw new UsageError(
        `${typed('backup-store') ? '--backup-store' : 'ESC_LOCAL_BACKUP_STORE'} ${flagged} is not an S3 URL: give s3://bucket/prefix`,
      )
    }
    // A bucket name S3 would refuse is named now, not at the first backup.
    if (flagged !== undefined) (await import('../../lib/engine/repository/s3-url.js')).parseS3Url(flagged)
    // A bad configuration file stops the start, even where a flag overrides what it got wrong.
    const {readStartConfig, startSettings} = await import('../../lib/cli/local/start-config.js')
    const {
      backupStore: store,
      port,
      profile,
    } = startSettings(
      {
        'backup-store': flags['backup-store'],
        port: typed('port') ? flags.port : undefined,
        profile: typed('profile') ? flags.profile : undefined,
      },
      await readStartConfig(dir, flags.config),
    )
    if (flags.detach) await this.startInBackground(dir)
    else await this.serveHere(dir, host, port, profile, dir === resolveStateDir(undefined), store)
  }

  /** --detach: the same command without it, in a new session; shows what that child reports once it listens. */
  private async startInBackground(dir: string): Promise<void> {
    const {startDetached} = await import('../../lib/cli/local/detach.js')
    const argv = this.argv.some((a) => a === '--dir' || a.startsWith('--dir=')) ? this.argv : [...this.argv, '--dir', dir]
    const {banner, warning} = await startDetached(dir, argv).catch((error: Error & {suggestions?: string[]}) => {
      throw new EscError(error.message, {suggestions: error.suggestions ?? []})
    })
    if (warning) process.stderr.write(`${warning}\n`)
    process.stdout.write(banner)
  }

  /** Runs the server in this process until it stops; a detached child reports to its parent instead of printing. */
  private async serveHere(
    dir: string,
    host: string,
    port: number,
    profile: string,
    defaultDir: boolean,
    backupStore?: string,
  ): Promise<void> {
    const {AlreadyRunningError, isLoopback, serve} = await import('../../lib/cli/local/daemon.js')
    const {nonLoopbackWarning, startBanner} = await import('../../lib/cli/local/banner.js')
    const {isDetachedChild, reportStartFailed, reportStarted} = await import('../../lib/cli/local/detach.js')
    let started: Awaited<ReturnType<typeof serve>>
    try {
      started = await serve({dir, host, port, profile, backupStore})
    } catch (error) {
      // A server error carries advice, not flag text: describeError words it for the command line.
      const described = isEscError(error) ? describeError(error) : {message: (error as Error).message, suggestions: []}
      const message = error instanceof AlreadyRunningError ? error.message : `cannot start the local cloud: ${described.message}`
      const suggestions = error instanceof AlreadyRunningError ? [`Stop it with \`esc local stop --dir ${dir}\``] : described.suggestions
      reportStartFailed(message, suggestions)
      throw new EscError(message, {suggestions})
    }
    const banner = startBanner(started, {defaultDir})
    const warning = isLoopback(host) ? undefined : nonLoopbackWarning(host, started.url)
    if (warning) process.stderr.write(`${warning}\n`)
    if (isDetachedChild()) {
      // This stderr is server.log: the parent shows the banner and the warning to the user.
      reportStarted(banner, warning)
    } else {
      process.stdout.write(banner)
      if (process.stdout.isTTY) process.stderr.write('Press Ctrl-C to stop.\n')
    }
    await started.stopped
  }
}
