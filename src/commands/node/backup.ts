import {Args, Flags, type Interfaces} from '@oclif/core'
import {readFile} from 'node:fs/promises'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {repositoryCodecFlags} from '../../lib/cli/repository-flags.js'
import {EscError, isAbortError, UsageError} from '../../lib/core/errors.js'

export default class NodeBackup extends BaseCommand {
  static override enableJsonFlag = true
  static override description =
    "Back up a self-hosted KurrentDB node's data directory (differential: only new and changed files are copied; the manifest is written last)"

  static override examples = [
    '<%= config.bin %> node backup /backups/node1 --db /var/lib/kurrentdb',
    '<%= config.bin %> node backup /backups/node1 --db /data/db --index /data/index --node-url https://127.0.0.1:2113 --username admin --password changeit',
    '<%= config.bin %> node backup s3://my-bucket/kurrentdb/node1 --db /var/lib/kurrentdb',
    '<%= config.bin %> node backup s3://my-bucket/kurrentdb/node1 --db /var/lib/kurrentdb --encrypt --password-file /etc/esc/backup-password',
  ]

  static override args = {
    'backup-dir': Args.string({
      description: 'Directory holding the backup (created if missing), or an S3 repository: s3://bucket/prefix',
      required: true,
    }),
  }

  static override flags = {
    db: Flags.string({description: "The node's data directory (chunk-*.* and *.chk)", required: true}),
    index: Flags.string({description: "The node's index directory [default: <db>/index]"}),
    full: Flags.boolean({description: 'Start over: copy everything into a fresh data directory instead of keeping unchanged files'}),
    verify: Flags.boolean({
      description: 'Check every copied completed chunk against its footer MD5 (--no-verify skips it; the manifest records that)',
      default: true,
      allowNo: true,
    }),
    offline: Flags.boolean({description: 'The node is stopped: also copy secondary-index (DuckDB) files instead of refusing'}),
    'link-from': Flags.string({
      description: 'Another complete backup directory: matching completed chunks are hard-linked from it instead of copied',
    }),
    concurrency: Flags.integer({description: 'Files copied in parallel', default: 3, min: 1, max: 16}),
    'node-url': Flags.string({description: "The node's HTTP URL: stop scavenges and check the node before copying", env: 'ESC_NODE_URL'}),
    username: Flags.string({description: 'User for --node-url ($admins or $ops)', env: 'ESC_NODE_USERNAME'}),
    password: Flags.string({description: 'Password for --node-url', env: 'ESC_NODE_PASSWORD'}),
    'ca-file': Flags.string({description: "PEM file of the CA that signed the node's certificate"}),
    insecure: Flags.boolean({description: "Don't verify the node's TLS certificate"}),
    'allow-lagging': Flags.boolean({description: 'Back up even when the node lags the leader or is in an older epoch'}),
    'restart-scavenge': Flags.boolean({description: 'Start the scavenge that was stopped again once the backup is done'}),
    ...repositoryCodecFlags,
  }

  /** The manifest without its file list, plus the backup's size: what --json prints. */
  public async run(): Promise<Record<string, unknown>> {
    const {args, flags} = await this.parse(NodeBackup)
    if (args['backup-dir'].startsWith('s3://')) return this.runRepository(args['backup-dir'], flags)
    ;(await import('../../lib/cli/repository-password.js')).refuseForLocalDirectory(flags)
    const {backupNode, backupSizeBytes} = await import('../../lib/engine/index.js')
    const {ProgressLine, formatBytes, interactiveStderr} = await import('../../lib/engine/progress.js')
    const {formatDuration} = await import('../../lib/core/duration.js')
    const {withInterrupt} = await import('../../lib/cli/wait/interrupt.js')
    // Input checks first, so that a typo is named before anything is created.
    const nodeGuard = await this.nodeGuard(flags)
    const {requireBackupDirectory} = await import('../../lib/cli/node-input.js')
    if (flags['link-from'] !== undefined) await requireBackupDirectory('--link-from', flags['link-from'])
    const interactive = interactiveStderr()
    const progress = new ProgressLine(interactive, (s) => process.stderr.write(s))
    try {
      const manifest = await withInterrupt((signal) =>
        backupNode({
          db: flags.db,
          index: flags.index,
          backupDir: args['backup-dir'],
          full: flags.full,
          verify: flags.verify,
          offline: flags.offline,
          linkFrom: flags['link-from'],
          concurrency: flags.concurrency,
          nodeGuard,
          signal,
          onProgress: (p) => progress.update(p),
          // Notices (a scavenge stopped or restarted on the node) and warnings are for the user
          // whatever the output; the rest is detail for a terminal or --debug.
          log: (line, level) => {
            if (level === 'notice' || level === 'warning' || interactive || this.debugEnabled) {
              progress.end()
              process.stderr.write(`${line}\n`)
            }
          },
        }),
      )
      progress.end()
      const {files: _files, ...summary} = manifest
      const result = {...summary, sizeBytes: backupSizeBytes(manifest)}
      if (this.jsonEnabled()) return result
      const s = manifest.stats
      const rate = manifest.timings.durationMs > 0 ? (s.bytesCopied / manifest.timings.durationMs) * 1000 : 0
      process.stdout.write(
        [
          `Backup ${manifest.id} (${manifest.kind}) written to ${args['backup-dir']}`,
          `  files: ${s.files} (${formatBytes(s.bytes)}); copied ${s.filesCopied} (${formatBytes(s.bytesCopied)}), kept ${s.filesKept}, linked ${s.filesLinked}`,
          `  log: writer ${manifest.checkpoints.writer}, chaser ${manifest.checkpoints.chaser}, chunk size ${formatBytes(manifest.chunkSize)}, last chunk ${manifest.lastChunk}`,
          `  verification: ${manifest.verification === 'md5' ? 'every copied completed chunk matched its footer MD5' : 'skipped (--no-verify)'}`,
          `  took ${formatDuration(manifest.timings.durationMs, 'compact')} (${formatBytes(rate)}/s)`,
        ].join('\n') + '\n',
      )
      return result
    } catch (error) {
      progress.end()
      if (isAbortError(error)) {
        throw new EscError('backup interrupted; the previous backup in that directory is unchanged', {kind: 'interrupted'})
      }
      throw error
    }
  }

  /** A backup into an S3 repository (s3://bucket/prefix): same checks and guard, objects uploaded. */
  private async runRepository(url: string, flags: Interfaces.InferredFlags<typeof NodeBackup.flags>) {
    if (flags.full || flags['link-from'] !== undefined) {
      throw new UsageError(
        `${flags.full ? '--full' : '--link-from'} does not apply to an S3 repository (${url}): its objects are stored once and shared by every backup; leave it out`,
      )
    }
    const nodeGuard = await this.nodeGuard(flags)
    const {backupToUrl} = await import('../../lib/cli/node-repository.js')
    const codecs = await (await import('../../lib/cli/repository-password.js')).repositoryCodecs(flags)
    return backupToUrl(
      url,
      {
        db: flags.db,
        index: flags.index,
        verify: flags.verify,
        offline: flags.offline,
        concurrency: flags.concurrency,
        nodeGuard,
      },
      {json: this.jsonEnabled(), debug: this.debugEnabled, codecs, compress: flags.compress},
    )
  }

  /** The node guard the flags ask for (undefined without --node-url), its inputs checked first. */
  private async nodeGuard(flags: Interfaces.InferredFlags<typeof NodeBackup.flags>) {
    // (--username/--password may come from the environment, so only these are refused without a URL.)
    const guardFlags = ['ca-file', 'insecure', 'allow-lagging', 'restart-scavenge'] as const
    if (!flags['node-url'] && guardFlags.some((f) => flags[f]))
      throw new UsageError('--ca-file, --insecure, --allow-lagging and --restart-scavenge need --node-url (or ESC_NODE_URL)')
    if (flags['node-url'] === undefined) return undefined
    const {requireHttpUrl} = await import('../../lib/cli/node-input.js')
    requireHttpUrl('--node-url', flags['node-url'])
    const ca = flags['ca-file']
      ? await readFile(flags['ca-file']).catch(() => {
          throw new UsageError(`cannot read --ca-file ${flags['ca-file']}`)
        })
      : undefined
    return {
      url: flags['node-url'],
      username: flags.username,
      password: flags.password,
      ca,
      insecure: flags.insecure,
      allowLagging: flags['allow-lagging'],
      restartScavenge: flags['restart-scavenge'],
    }
  }
}
