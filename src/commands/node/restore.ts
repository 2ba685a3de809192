import {Args, Flags} from '@oclif/core'

import {passwordFileFlag} from '../../lib/cli/repository-flags.js'
import {BaseCommand} from '../../lib/cli/base-command.js'
import type {RestoreOptions, RestoreResult} from '../../lib/engine/index.js'

export default class NodeRestore extends BaseCommand {
  static override enableJsonFlag = true
  static override description = "Restore a backup onto a stopped node: verify it, copy it, and set truncate.chk to the backup's chaser.chk"

  static override examples = [
    '<%= config.bin %> node restore /backups/node1 --db /var/lib/kurrentdb',
    '<%= config.bin %> node restore /backups/node1 --db /var/lib/kurrentdb --force',
    '<%= config.bin %> node restore s3://my-bucket/kurrentdb/node1#20260101T020000Z-1a2b3c --db /var/lib/kurrentdb',
  ]

  static override args = {
    'backup-dir': Args.string({
      description:
        'Backup directory written by `esc node backup`, or an S3 repository: s3://bucket/prefix[#backup-id] (default: its newest backup)',
      required: true,
    }),
  }

  static override flags = {
    db: Flags.string({description: "The stopped node's data directory", required: true}),
    index: Flags.string({description: "The node's index directory [default: <db>/index]"}),
    force: Flags.boolean({description: 'Move a non-empty target aside (renamed, never deleted) instead of refusing'}),
    ...passwordFileFlag,
  }

  public async run(): Promise<RestoreResult> {
    const {args, flags} = await this.parse(NodeRestore)
    // An s3:// URL selects a repository (loaded only then); anything else is a local directory.
    const url = args['backup-dir'].startsWith('s3://') ? args['backup-dir'] : undefined
    const {requireDirectory} = await import('../../lib/cli/node-input.js')
    if (!url) await requireDirectory(args['backup-dir'], 'give a backup directory written by `esc node backup`')
    const restoreFromUrl = url ? (await import('../../lib/cli/node-repository.js')).restoreFromUrl : undefined
    const codecs = url ? await (await import('../../lib/cli/repository-password.js')).repositoryCodecs(flags) : undefined
    const {restoreBackup} = await import('../../lib/engine/index.js')
    const {ProgressLine, formatBytes, interactiveStderr} = await import('../../lib/engine/progress.js')
    const {formatDuration} = await import('../../lib/core/duration.js')
    const {withInterrupt} = await import('../../lib/cli/wait/interrupt.js')
    const interactive = interactiveStderr()
    const progress = new ProgressLine(interactive, (s) => process.stderr.write(s))
    try {
      const result = await withInterrupt((signal) =>
        (restoreFromUrl ? (o: Omit<RestoreOptions, 'backupDir'>) => restoreFromUrl(url!, o, codecs) : restoreBackup)({
          backupDir: args['backup-dir'],
          db: flags.db,
          index: flags.index,
          force: flags.force,
          signal,
          onProgress: (p) => progress.update(p),
          log: (line) => {
            if (interactive || this.debugEnabled) {
              progress.end()
              process.stderr.write(`${line}\n`)
            }
          },
        }),
      )
      progress.end()
      if (this.jsonEnabled()) return result
      const lines = [
        `Restored ${result.files} files (${formatBytes(result.bytes)}) to ${result.db}${result.index.startsWith(result.db + '/') ? '' : ` and ${result.index}`} in ${formatDuration(result.durationMs, 'compact')}`,
        ...result.movedAside.map((d) => `  previous contents moved to ${d}`),
        'What to expect:',
        ...result.notes.map((n) => `  - ${n}`),
      ]
      process.stdout.write(lines.join('\n') + '\n')
      return result
    } catch (error) {
      progress.end()
      throw error
    }
  }
}
