import {CloudCommand, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {nonBlankFlag} from '../../../lib/cli/base-flags.js'
import {backupCreateFlags, createBackup} from '../../../lib/cli/wait/backup-create.js'

export default class BackupsCreate extends CloudCommand {
  static override description = 'Create a backup'
  static override examples = [
    '<%= config.bin %> mesdb backups create --description "on demand backup" --source-cluster-id c1eut65o0aeu6ojco7a0 --project-id btfjev2rh41scaatc1k0',
  ]

  static override flags = {
    'org-id': orgFlag('The organization id the backup will relate to'),
    'project-id': projectFlag('The project id the backup will relate to'),
    'source-cluster-id': nonBlankFlag({
      description: 'The id of the cluster to create backup of',
      fix: 'give the id of the cluster to back up',
    }),
    description: nonBlankFlag({
      description:
        'A human-readable description of the backup, sent as typed; the service renders {cluster}, {index} and {datetime} tokens',
      fix: 'give the backup a description',
    }),
    ...backupCreateFlags,
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(BackupsCreate)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    // The label check, --dry-run, --retry-on-lock and --wait live in lib/cli/wait/backup-create.ts. It asks
    // for the client only when the POST or a dry run's label preview needs it: a plain --dry-run needs no credentials.
    await createBackup({
      api: () => this.apiClient(flags),
      printer: await this.output(flags),
      orgId,
      projectId,
      sourceClusterId: flags['source-cluster-id'],
      description: flags.description,
      flags,
      clock: this.clocks.wait,
    })
  }
}
