import {Args} from '@oclif/core'

import {BaseCommand} from '../../../lib/cli/base-command.js'
import {passwordFileFlag} from '../../../lib/cli/repository-flags.js'

export default class NodeBackupsList extends BaseCommand {
  static override enableJsonFlag = true
  static override description =
    'List the backups in a repository (s3://bucket/prefix) or a local backup directory: time, kind, size, checkpoints'

  static override examples = [
    '<%= config.bin %> node backups list s3://my-bucket/kurrentdb/node1',
    '<%= config.bin %> node backups list /backups/node1 --json',
  ]

  static override args = {
    repo: Args.string({description: 'An S3 repository (s3://bucket/prefix) or a backup directory', required: true}),
  }

  static override flags = {...passwordFileFlag}

  public async run(): Promise<unknown> {
    const {args, flags} = await this.parse(NodeBackupsList)
    const {backupsTable, listBackups} = await import('../../../lib/cli/node-backups.js')
    const codecs = args.repo.startsWith('s3://')
      ? await (await import('../../../lib/cli/repository-password.js')).repositoryCodecs(flags)
      : undefined
    const rows = await listBackups(args.repo, codecs)
    if (!this.jsonEnabled()) process.stdout.write(backupsTable(rows))
    return rows
  }
}
