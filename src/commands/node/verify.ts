import {Args, Flags} from '@oclif/core'

import {passwordFileFlag} from '../../lib/cli/repository-flags.js'
import {BaseCommand} from '../../lib/cli/base-command.js'
import {ExitCode} from '../../lib/cli/error-exit.js'
import type {VerifyReport} from '../../lib/engine/index.js'

export default class NodeVerify extends BaseCommand {
  static override enableJsonFlag = true
  static override description =
    "Check a backup or a stopped node's data directory: chunk names, headers, footers and MD5, continuity, checkpoints, indexmap and PTables. Exits 5 when something is wrong"

  static override examples = ['<%= config.bin %> node verify /backups/node1', '<%= config.bin %> node verify /var/lib/kurrentdb --json']

  static override args = {
    dir: Args.string({
      description: "A backup directory, a stopped node's data directory, or an S3 repository: s3://bucket/prefix[#backup-id]",
      required: true,
    }),
  }

  static override flags = {
    index: Flags.string({description: 'Index directory of a data directory [default: <dir>/index]'}),
    ...passwordFileFlag,
  }

  public async run(): Promise<VerifyReport> {
    const {args, flags} = await this.parse(NodeVerify)
    // An s3:// URL selects a repository (loaded only then): its objects are downloaded and checked.
    const url = args.dir.startsWith('s3://') ? args.dir : undefined
    const {requireDirectory} = await import('../../lib/cli/node-input.js')
    if (!url) await requireDirectory(args.dir, "give a backup directory or a stopped node's data directory")
    const {verifyDirectory} = await import('../../lib/engine/index.js')
    const {ProgressLine, formatBytes, interactiveStderr} = await import('../../lib/engine/progress.js')
    const progress = new ProgressLine(interactiveStderr(), (s) => process.stderr.write(s))
    const onProgress = (p: {bytesDone: number; bytesTotal: number}) => progress.update(p)
    const report = url
      ? await (
          await import('../../lib/cli/node-repository.js')
        ).verifyUrl(url, {
          onProgress,
          codecs: await (await import('../../lib/cli/repository-password.js')).repositoryCodecs(flags),
        })
      : await verifyDirectory(args.dir, {index: flags.index, onProgress})
    progress.end()
    if (!this.jsonEnabled()) {
      const c = report.checked
      const lines = [
        `${report.ok ? 'OK' : 'NOT SOUND'}: ${report.dir} (${report.kind === 'backup' ? 'backup' : 'data directory'})`,
        `  checked ${c.chunks} chunks (${c.completedChunks} completed, MD5 verified), ${c.ptables} PTables, ${c.checkpoints} checkpoints; ${formatBytes(c.bytesHashed)} hashed`,
      ]
      if (report.checkpoints.writer !== undefined)
        lines.push(
          `  writer ${report.checkpoints.writer}, chaser ${report.checkpoints.chaser ?? '?'}${report.chunkSize ? `, chunk size ${formatBytes(report.chunkSize)}` : ''}`,
        )
      for (const p of report.problems) lines.push(`  problem: ${p.file}: ${p.reason}`)
      for (const w of report.warnings) lines.push(`  warning: ${w.file}: ${w.reason}`)
      process.stdout.write(lines.join('\n') + '\n')
    }
    // A report of problems is still the output (--json prints it), with exit 5.
    if (!report.ok) this.exitWithResult(report, ExitCode.FailedState)
    return report
  }
}
