import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../../lib/cli/base-command.js'
import {passwordFileFlag} from '../../../lib/cli/repository-flags.js'

export default class NodeBackupsForget extends BaseCommand {
  static override enableJsonFlag = true
  static override description =
    'Forget a backup (or all but the newest N) in a repository, then remove the objects no remaining backup needs'

  static override examples = [
    '<%= config.bin %> node backups forget s3://my-bucket/kurrentdb/node1 20260101T020000Z-1a2b3c',
    '<%= config.bin %> node backups forget s3://my-bucket/kurrentdb/node1 --keep-last 7',
  ]

  static override args = {
    repo: Args.string({description: 'An S3 repository (s3://bucket/prefix) or a backup directory', required: true}),
    'backup-id': Args.string({description: 'The backup to forget (see `esc node backups list`)'}),
  }

  static override flags = {
    'keep-last': Flags.integer({description: 'Forget every backup but the newest N', min: 1}),
    ...passwordFileFlag,
  }

  public async run(): Promise<unknown> {
    const {args, flags} = await this.parse(NodeBackupsForget)
    const {forget, forgetSummary, forgetWhich} = await import('../../../lib/cli/node-backups.js')
    const which = forgetWhich(args['backup-id'], flags['keep-last'])
    const codecs = args.repo.startsWith('s3://')
      ? await (await import('../../../lib/cli/repository-password.js')).repositoryCodecs(flags)
      : undefined
    const result = await forget(args.repo, which, codecs)
    if (!this.jsonEnabled()) process.stdout.write(forgetSummary(args.repo, result))
    return result
  }
}
