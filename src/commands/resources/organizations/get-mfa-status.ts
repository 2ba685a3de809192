import {Flags} from '@oclif/core'

import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'
import {mfaText, mfaViews} from '../../../lib/cli/output/resources.js'
import {requireFromProfile} from '../../../lib/cli/resources/command.js'

export default class OrganizationsGetMfaStatus extends CloudCommand {
  static override description = "read an organization's MFA status"
  static override examples = ['<%= config.bin %> resources organizations get-mfa-status --id c0org1']

  static override flags = {
    id: Flags.string({
      char: 'i',
      description: 'The id of the organization you want to read MFA status of [default: the org-id of the profile]',
    }),
    quiet: Flags.boolean({char: 'q', description: 'Print only true or false'}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(OrganizationsGetMfaStatus)
    const ctx = await this.context({...flags, 'org-id': flags.id})
    const orgId = requireFromProfile(ctx.orgId, 'id', 'org-id', ctx)
    const res = await (await this.apiClient(flags)).resources.getMfaStatus(orgId)
    await (await this.output(flags)).answer(mfaViews.get(res.data), res, mfaText(res.data.mfaEnabled, flags.quiet))
  }
}
