import {Flags} from '@oclif/core'

import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {organizationKind} from '../../../lib/cli/output/resources.js'
import {requireFromProfile} from '../../../lib/cli/resources/command.js'

export default class OrganizationsGet extends CloudCommand {
  static override description = "read an organization's information"
  static override examples = ['<%= config.bin %> resources organizations get --id c0org1']

  static override flags = {
    id: Flags.string({
      char: 'i',
      description: 'The id of the organization you want to read information from [default: the org-id of the profile]',
    }),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(OrganizationsGet)
    const ctx = await this.context({...flags, 'org-id': flags.id})
    const orgId = requireFromProfile(ctx.orgId, 'id', 'org-id', ctx)
    const res = await (await this.apiClient(flags)).resources.getOrganization(orgId)
    await (await this.output(flags)).item(organizationKind, res.data.organization, res)
  }
}
