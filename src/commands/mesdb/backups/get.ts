import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {backupKind} from '../../../lib/cli/output/kinds.js'

export default class BackupsGet extends CloudCommand {
  static override description = 'Get information about a single backup'
  static override examples = ['<%= config.bin %> mesdb backups get --project-id btfjev2rh41scaatc1k0 --id c1ev3l5o0aeu6ojco7b0']

  static override flags = {
    'org-id': orgFlag('The organization id the backup relates to'),
    'project-id': projectFlag('The project id the backup relates to'),
    id: idFlag("Backup's id"),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(BackupsGet)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.getBackup(orgId, projectId, flags.id)
    await (await this.output(flags)).item(backupKind, res.data.backup, res)
  }
}
