import {EscError} from '../../lib/core/errors.js'
import {IntegrationsCommand, integrationFlags, integrationIdFlag} from '../../lib/cli/integrations/command.js'

export default class IntegrationsTest extends IntegrationsCommand {
  static override description = 'Sends a message to an integration sink'
  static override examples = ['<%= config.bin %> integrations test-integration --integration-id c0int1']

  static override flags = {...integrationFlags, 'integration-id': integrationIdFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(IntegrationsTest)
    const {api, orgId, projectId} = await this.target(flags)
    const res = await api.testIntegration(orgId, projectId, flags['integration-id'])
    const printer = await this.output(this.toCloudFlags(flags))
    await printer.done(res)
    // The official cloud answers without an outcome (nothing printed, as the official CLI does);
    // the local cloud says whether the sink took the message.
    const {delivered, statusCode, error} = res.data
    if (!delivered) {
      const why = [statusCode === undefined ? '' : `HTTP ${statusCode}`, error ?? ''].filter(Boolean).join(': ')
      throw new EscError(`The test message was not delivered${why ? ` (${why})` : ''}`, {kind: 'unavailable'})
    }
    if (printer.format === 'table' && !printer.quiet)
      process.stdout.write(`Test message delivered${statusCode === undefined ? '' : ` (HTTP ${statusCode})`}\n`)
  }
}
