import {Flags} from '@oclif/core'

import {CloudCommand, orgFlag} from '../../../lib/cli/base-cloud-command.js'
import {requireFromProfile} from '../../../lib/cli/resources/command.js'

export default class ProjectsUpdate extends CloudCommand {
  static override description = 'Update a project'
  static override examples = ['<%= config.bin %> resources projects update --id c0proj1 --name "Restore tests"']

  static override flags = {
    'org-id': orgFlag('The organization id the project is related to'),
    id: Flags.string({char: 'i', description: 'The id of the project you want to update [default: the project-id of the profile]'}),
    name: Flags.string({char: 'n', description: "New project's name", required: true}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ProjectsUpdate)
    const ctx = await this.context({...flags, 'project-id': flags.id})
    const orgId = requireFromProfile(ctx.orgId, 'org-id', 'org-id', ctx)
    const projectId = requireFromProfile(ctx.projectId, 'id', 'project-id', ctx)
    const res = await (await this.apiClient(flags)).resources.updateProject(orgId, projectId, flags.name)
    await (await this.output(flags)).done(res)
  }
}
