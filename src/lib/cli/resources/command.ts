import type {EscContext} from '../../client/config/context.js'
import {UsageError} from '../../core/errors.js'

/**
 * An id that falls back to the profile (`--id` of `resources organizations get` is the org-id,
 * of `resources projects get` the project-id), or the official CLI's message naming the flag, with
 * the ways to give it.
 */
export function requireFromProfile(value: string | undefined, flag: string, property: 'org-id' | 'project-id', ctx: EscContext): string {
  if (value) return value
  const article = property === 'org-id' ? 'an org-id' : 'an project-id'
  const envVar = property === 'org-id' ? 'ESC_ORG_ID' : 'ESC_PROJECT_ID'
  const profile = ctx.profileName ?? 'default'
  throw new UsageError(
    `Invalid value for '--${flag} <${flag}>': Not provided and you don't have ${article} property set in the [context] section of your settings.toml file`,
    {suggestions: [`Pass --${flag} <id>, set ${envVar}, or run \`esc profiles set -p ${profile} -n ${property} -v <id>\``]},
  )
}
