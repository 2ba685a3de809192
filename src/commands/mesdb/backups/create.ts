import {Flags} from '@oclif/core'

import {BaseCommand, orgFlag, projectFlag, quietFlag} from '../../../lib/base-command.js'
import {backupIdKind} from '../../../lib/output/kinds.js'

export default class BackupsCreate extends BaseCommand {
  static override description = 'Create a backup'
  static override examples = [
    '<%= config.bin %> mesdb backups create --description "on demand backup" --source-cluster-id c1eut65o0aeu6ojco7a0 --project-id btfjev2rh41scaatc1k0',
  ]

  static override flags = {
    'org-id': orgFlag('The organization id the backup will relate to'),
    'project-id': projectFlag('The project id the backup will relate to'),
    'source-cluster-id': Flags.string({description: 'The id of the cluster to create backup of', required: true}),
    description: Flags.string({description: 'A human-readable description of the backup', required: true}),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(BackupsCreate)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.createBackup(orgId, projectId, {
      description: flags.description,
      sourceClusterId: flags['source-cluster-id'],
    })
    await (await this.output(flags)).created(backupIdKind, res)
  }
}
