import {Flags} from '@oclif/core'

import type {ApiClient} from '../../client/api/client.js'
import {UsageError} from '../../core/errors.js'
import {CloudCommand, quietFlag, type CommandFlags} from '../base-cloud-command.js'

/**
 * The flags of `esc integrations`: the official CLI spells them `--organization-id` (not `--org-id`)
 * and `--integration-id` (long only, no `-i`); both org and project still fall back to the
 * environment and the profile.
 */
export const integrationFlags = {
  'organization-id': Flags.string({description: 'The id of the organization [env: ESC_ORG_ID]'}),
  'project-id': Flags.string({description: 'The id of the project [env: ESC_PROJECT_ID]'}),
}
export const integrationIdFlag = Flags.string({description: 'The id of the integration', required: true})
export {quietFlag}

export type IntegrationCommandFlags = Omit<CommandFlags, 'org-id'> & {'organization-id'?: string}

/** The base of the integrations commands: resolves the org under its own flag name. */
export abstract class IntegrationsCommand extends CloudCommand {
  protected toCloudFlags(flags: IntegrationCommandFlags): CommandFlags {
    return {...flags, 'org-id': flags['organization-id']}
  }

  /** The API client and the organization (and project unless `orgOnly`) every call needs. */
  protected async target(flags: IntegrationCommandFlags, orgOnly = false): Promise<{api: ApiClient; orgId: string; projectId: string}> {
    const cloud = this.toCloudFlags(flags)
    const ctx = await this.context(cloud)
    if (!ctx.orgId) throw missing('organization-id', 'ESC_ORG_ID', 'org-id', ctx.profileName)
    if (!orgOnly && !ctx.projectId) throw missing('project-id', 'ESC_PROJECT_ID', 'project-id', ctx.profileName)
    return {api: await this.apiClient(cloud), orgId: ctx.orgId, projectId: ctx.projectId ?? ''}
  }
}

function missing(flag: string, envVar: string, property: string, profile = 'default'): UsageError {
  return new UsageError(`Invalid value for '--${flag} <${flag}>': Not provided and no ${property} property is set in the profile`, {
    suggestions: [`Pass --${flag} <id>, set ${envVar}, or run \`esc profiles set -p ${profile} -n ${property} -v <id>\``],
  })
}
