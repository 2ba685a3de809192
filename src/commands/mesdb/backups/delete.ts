import {CloudCommand, idFlag, orgFlag, projectFlag} from '../../../lib/cli/base-cloud-command.js'

export default class BackupsDelete extends CloudCommand {
  static override description = 'Delete a backup'
  static override examples = ['<%= config.bin %> mesdb backups delete --id c1ev3l5o0aeu6ojco7b0']

  static override flags = {
    'org-id': orgFlag('The organization id the backup relates to'),
    'project-id': projectFlag('The project id the backup relates to'),
    id: idFlag('Id of the backup you want to delete'),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(BackupsDelete)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.deleteBackup(orgId, projectId, flags.id)
    await (await this.output(flags)).done(res)
  }
}
