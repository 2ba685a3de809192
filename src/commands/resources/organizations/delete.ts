import {Flags} from '@oclif/core'

import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'

export default class OrganizationsDelete extends CloudCommand {
  static override description = 'Delete an organization'
  static override examples = ['<%= config.bin %> resources organizations delete --id c0org1']

  static override flags = {
    id: Flags.string({char: 'i', description: 'The id of the organization you want to delete', required: true}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(OrganizationsDelete)
    const res = await (await this.apiClient(flags)).resources.deleteOrganization(flags.id)
    await (await this.output(flags)).done(res)
  }
}
