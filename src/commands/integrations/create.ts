import {BaseCommand} from '../../lib/cli/base-command.js'
import {UsageError} from '../../lib/core/errors.js'

/**
 * `esc integrations create` without a sink: the official esc refuses it (the sink is a required
 * subcommand); this says which sinks there are instead of printing the topic's help with success.
 */
export default class IntegrationsCreate extends BaseCommand {
  static override description = 'Creates a new integration'
  static override usage =
    'integrations create [--organization-id <value>] [--project-id <value>] --description <value> slack|ops-genie|webhook …'
  static override strict = false

  public async run(): Promise<void> {
    throw new UsageError('integrations create needs a sink: add slack, ops-genie or webhook (then its flags) after --description <value>')
  }
}
