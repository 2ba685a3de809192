import {Flags} from '@oclif/core'

import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'

export default class OrganizationsUpdate extends CloudCommand {
  static override description = 'Update an organization'
  static override examples = ['<%= config.bin %> resources organizations update --id c0org1 --name "New name"']

  static override flags = {
    id: Flags.string({char: 'i', description: 'The id of the organization you want to update', required: true}),
    name: Flags.string({char: 'n', description: "The organization's new name", required: true}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(OrganizationsUpdate)
    const res = await (await this.apiClient(flags)).resources.updateOrganization(flags.id, flags.name)
    await (await this.output(flags)).done(res)
  }
}
