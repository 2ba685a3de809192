import {Flags} from '@oclif/core'

import {CreateIntegrationCommand, createFlags} from '../../../lib/cli/integrations/create.js'

export default class CreateOpsGenie extends CreateIntegrationCommand {
  static override description = 'Creates a new integration that raises OpsGenie alerts'
  // The official esc's syntax: the flags of `create` come before the sink's word.
  static override usage =
    'integrations create [--organization-id <value>] [--project-id <value>] --description <value> ops-genie --api-key <value>'
  static override examples = ['<%= config.bin %> integrations create --description Pager ops-genie --api-key "$OPSGENIE_API_KEY"']

  static override flags = {
    ...createFlags,
    'api-key': Flags.string({description: 'API key used with the Ops Genie integration API', required: true}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(CreateOpsGenie)
    // As the official esc: no source is sent for OpsGenie.
    await this.create(flags, {sink: 'opsGenie', apiKey: flags['api-key']})
  }
}
