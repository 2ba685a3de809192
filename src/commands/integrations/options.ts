import {IntegrationsCommand, quietFlag} from '../../lib/cli/integrations/command.js'
import {Flags} from '@oclif/core'
import {optionsViews, sourceKind} from '../../lib/cli/output/integrations.js'

export default class IntegrationsOptions extends IntegrationsCommand {
  static override description = 'Lists the integration sources and the sinks each accepts (ours: the official esc has no such command)'
  static override examples = ['<%= config.bin %> integrations options --organization-id bt77lfqrh41scaatc180']

  static override flags = {
    'organization-id': Flags.string({description: 'The id of the organization [env: ESC_ORG_ID]'}),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(IntegrationsOptions)
    const {api, orgId} = await this.target(flags, true)
    const res = await api.integrationOptions(orgId)
    const sources = res.data.sources
    await (await this.output(this.toCloudFlags(flags))).wrapped(sourceKind, sources, optionsViews.list(sources), res, 'list')
  }
}
