import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/cli/base-command.js'
import type {RestoreResult} from '../../lib/engine/index.js'

export default class NodeRestore extends BaseCommand {
  static override enableJsonFlag = true
  static override description = "Restore a backup onto a stopped node: verify it, copy it, and set truncate.chk to the backup's chaser.chk"

  static override examples = [
    '<%= config.bin %> node restore /backups/node1 --db /var/lib/kurrentdb',
    '<%= config.bin %> node restore /backups/node1 --db /var/lib/kurrentdb --force',
  ]

  static override args = {
    'backup-dir': Args.string({description: 'Backup directory written by `esc node backup`', required: true}),
  }

  static override flags = {
    db: Flags.string({description: "The stopped node's data directory", required: true}),
    index: Flags.string({description: "The node's index directory [default: <db>/index]"}),
    force: Flags.boolean({description: 'Move a non-empty target aside (renamed, never deleted) instead of refusing'}),
  }

  public async run(): Promise<RestoreResult> {
    const {args, flags} = await this.parse(NodeRestore)
    const {requireDirectory} = await import('../../lib/cli/node-input.js')
    await requireDirectory(args['backup-dir'], 'give a backup directory written by `esc node backup`')
    const {restoreBackup} = await import('../../lib/engine/index.js')
    const {ProgressLine, formatBytes, interactiveStderr} = await import('../../lib/engine/progress.js')
    const {formatDuration} = await import('../../lib/core/duration.js')
    const {withInterrupt} = await import('../../lib/cli/wait/interrupt.js')
    const interactive = interactiveStderr()
    const progress = new ProgressLine(interactive, (s) => process.stderr.write(s))
    try {
      const result = await withInterrupt((signal) =>
        restoreBackup({
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
