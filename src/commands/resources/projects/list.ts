import {CloudCommand, orgFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {projectKind} from '../../../lib/cli/output/resources.js'
import {requireFromProfile} from '../../../lib/cli/resources/command.js'

export default class ProjectsList extends CloudCommand {
  static override description = "List an organization's projects"
  static override examples = ['<%= config.bin %> resources projects list', '<%= config.bin %> resources projects list --org-id c0org1 -q']

  static override flags = {
    'org-id': orgFlag("Organization's id"),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ProjectsList)
    const ctx = await this.context(flags)
    const orgId = requireFromProfile(ctx.orgId, 'org-id', 'org-id', ctx)
    const res = await (await this.apiClient(flags)).resources.listProjects(orgId)
    await (await this.output(flags)).list(projectKind, res.data.projects, res)
  }
}
