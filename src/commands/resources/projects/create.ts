import {Flags} from '@oclif/core'

import {CloudCommand, orgFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {projectIdKind} from '../../../lib/cli/output/resources.js'
import {requireFromProfile} from '../../../lib/cli/resources/command.js'

export default class ProjectsCreate extends CloudCommand {
  static override description = 'Create a project'
  static override examples = ['<%= config.bin %> resources projects create --name "Restore tests"']

  static override flags = {
    'org-id': orgFlag('The organization id the project will relate to'),
    name: Flags.string({char: 'n', description: "Project's name", required: true}),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ProjectsCreate)
    const ctx = await this.context(flags)
    const orgId = requireFromProfile(ctx.orgId, 'org-id', 'org-id', ctx)
    const res = await (await this.apiClient(flags)).resources.createProject(orgId, flags.name)
    await (await this.output(flags)).created(projectIdKind, res)
  }
}
