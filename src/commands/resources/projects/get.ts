import {Flags} from '@oclif/core'

import {CloudCommand, orgFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {projectKind} from '../../../lib/cli/output/resources.js'
import {requireFromProfile} from '../../../lib/cli/resources/command.js'

export default class ProjectsGet extends CloudCommand {
  static override description = 'Get a project information'
  static override examples = ['<%= config.bin %> resources projects get --id c0proj1']

  static override flags = {
    'org-id': orgFlag('The organization id the project is related to'),
    id: Flags.string({
      char: 'i',
      description: 'The id of the project you want to read information from [default: the project-id of the profile]',
    }),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ProjectsGet)
    const ctx = await this.context({...flags, 'project-id': flags.id})
    const orgId = requireFromProfile(ctx.orgId, 'org-id', 'org-id', ctx)
    const projectId = requireFromProfile(ctx.projectId, 'id', 'project-id', ctx)
    const res = await (await this.apiClient(flags)).resources.getProject(orgId, projectId)
    await (await this.output(flags)).item(projectKind, res.data.project, res)
  }
}
