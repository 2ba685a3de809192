import {Flags} from '@oclif/core'

import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'

/** Both ids are required, with no profile fallback: a delete never picks its target from the settings. */
export default class ProjectsDelete extends CloudCommand {
  static override description = 'Delete a project'
  static override examples = ['<%= config.bin %> resources projects delete --org-id c0org1 --id c0proj1']

  static override flags = {
    'org-id': Flags.string({description: 'The organization id the project is related to', required: true}),
    id: Flags.string({char: 'i', description: 'The id of the project you want to delete', required: true}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ProjectsDelete)
    const res = await (await this.apiClient(flags)).resources.deleteProject(flags['org-id'], flags.id)
    await (await this.output(flags)).done(res)
  }
}
