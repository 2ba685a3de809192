import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {awaitBackup} from '../../../lib/cli/wait/backup.js'
import {waitTiming, waitTimingFlags} from '../../../lib/cli/wait/flags.js'

export default class BackupsWait extends CloudCommand {
  static override description = `Wait until a backup is available

Progress goes to stderr, the backup to stdout in the selected format. Exit codes: 0 available,
5 defunct or deleted, 4 timeout, 130 interrupted (the backup continues in the cloud).`
  static override examples = ['<%= config.bin %> mesdb backups wait -i c1ev3l5o0aeu6ojco7b0 --timeout 2h']

  static override flags = {
    'org-id': orgFlag('The organization id the backup relates to'),
    'project-id': projectFlag('The project id the backup relates to'),
    id: idFlag("Backup's id"),
    ...waitTimingFlags,
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(BackupsWait)
    const timing = waitTiming(flags, this.clocks.wait)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const printer = await this.output(flags)
    await awaitBackup(api, printer, orgId, projectId, flags.id, timing)
  }
}
