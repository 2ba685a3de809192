import {Args, Flags} from '@oclif/core'

import {passwordFileFlag} from '../../lib/cli/repository-flags.js'
import {BaseCommand} from '../../lib/cli/base-command.js'
import type {RestoreOptions, RestoreResult} from '../../lib/engine/index.js'

export default class NodeRestore extends BaseCommand {
  static override enableJsonFlag = true
  static override description =
    "Restore a backup onto stopped nodes: copy it, verifying every hash as it is written, and set truncate.chk to the backup's chaser.chk. Give --db once per node to seed every node of a new cluster from one backup"

  static override examples = [
    '<%= config.bin %> node restore /backups/node1 --db /var/lib/kurrentdb',
    '<%= config.bin %> node restore /backups/node1 --db /var/lib/kurrentdb --force',
    '<%= config.bin %> node restore /backups/node1 --db /data/n1 --db /data/n2 --db /data/n3',
    '<%= config.bin %> node restore /backups/node1 --db /data/n1 --index /index/n1 --db /data/n2 --index /index/n2',
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
    db: Flags.string({
      description: "The stopped node's data directory; repeat for each node of a cluster (each gets the same data)",
      required: true,
      multiple: true,
    }),
    index: Flags.string({
      description: "The node's index directory [default: <db>/index]; with several --db, none or one per --db, in the same order",
      multiple: true,
    }),
    force: Flags.boolean({description: 'Move every non-empty target aside (renamed, never deleted) instead of refusing'}),
    ...passwordFileFlag,
  }

  /** What the space check asks for the free bytes of a filesystem; a test in-process sets a fake (default: statfs). */
  freeSpace?: (path: string) => Promise<number>

  public async run(): Promise<RestoreResult> {
    const {args, flags} = await this.parse(NodeRestore)
    // An s3:// URL selects a repository (loaded only then); anything else is a local directory.
    const url = args['backup-dir'].startsWith('s3://') ? args['backup-dir'] : undefined
    const {requireDirectory} = await import('../../lib/cli/node-input.js')
    if (!url) await requireDirectory(args['backup-dir'], 'give a backup directory written by `esc node backup`')
    const indexes = flags.index ?? []
    if (indexes.length > 0 && indexes.length !== flags.db.length) {
      const {UsageError} = await import('../../lib/core/errors.js')
      throw new UsageError(
        `${flags.db.length} --db but ${indexes.length} --index: give one --index per --db, in the same order, or none (each node then uses <db>/index)`,
      )
    }
    const nodes = flags.db.map((db, i) => ({db, index: indexes[i]}))
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
          nodes,
          force: flags.force,
          freeSpace: this.freeSpace,
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
      const where =
        result.nodes.length === 1
          ? `${result.db}${result.index.startsWith(result.db + '/') ? '' : ` and ${result.index}`}`
          : `${result.nodes.length} nodes: ${result.nodes.map((n) => (n.index.startsWith(n.db + '/') ? n.db : `${n.db} (index ${n.index})`)).join(', ')}`
      const lines = [
        `Restored ${result.files} files (${formatBytes(result.bytes)}) to ${where} in ${formatDuration(result.durationMs, 'compact')}`,
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
