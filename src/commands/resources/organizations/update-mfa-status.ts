import {Flags} from '@oclif/core'

import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'
import {mfaText, mfaViews} from '../../../lib/cli/output/resources.js'
import {requireFromProfile} from '../../../lib/cli/resources/command.js'

export default class OrganizationsUpdateMfaStatus extends CloudCommand {
  static override description = "updates an organization's MFA status"
  static override examples = ['<%= config.bin %> resources organizations update-mfa-status --id c0org1 --enabled true']

  static override flags = {
    id: Flags.string({
      char: 'i',
      description: 'The id of the organization you want to update MFA status for [default: the org-id of the profile]',
    }),
    enabled: Flags.string({
      char: 'e',
      description: 'Specifies whether MFA is required for the org',
      required: true,
      options: ['true', 'false'],
    }),
    quiet: Flags.boolean({char: 'q', description: 'Print only true or false'}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(OrganizationsUpdateMfaStatus)
    const ctx = await this.context({...flags, 'org-id': flags.id})
    const orgId = requireFromProfile(ctx.orgId, 'id', 'org-id', ctx)
    const res = await (await this.apiClient(flags)).resources.updateMfaStatus(orgId, flags.enabled === 'true')
    await (await this.output(flags)).answer(mfaViews.updated(res.data), res, mfaText(res.data.mfaEnabled, flags.quiet))
  }
}
