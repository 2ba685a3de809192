import {Flags} from '@oclif/core'

import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {organizationIdKind} from '../../../lib/cli/output/resources.js'

export default class OrganizationsCreate extends CloudCommand {
  static override description = 'Create an organization'
  static override examples = ['<%= config.bin %> resources organizations create --name "My Org"']

  static override flags = {
    name: Flags.string({char: 'n', description: "The organization's name", required: true}),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(OrganizationsCreate)
    const res = await (await this.apiClient(flags)).resources.createOrganization(flags.name)
    await (await this.output(flags)).created(organizationIdKind, res)
  }
}
