import type {Profile} from '../../client/config/settings.js'

/**
 * `esc profiles …` prints with serde_json::to_writer_pretty: 2-space indent and no trailing
 * newline. We add the newline only when stdout is a terminal, so piped output stays byte-identical
 * to esc while an interactive prompt does not end up glued to the JSON.
 */
export function writePrettyJson(value: unknown, out: NodeJS.WriteStream = process.stdout): void {
  out.write(JSON.stringify(value, null, 2) + (out.isTTY ? '\n' : ''))
}

/** A profile as esc serializes it: kebab-case keys in struct order, unset values omitted. */
export function profileJson(profile: Profile): Record<string, unknown> {
  const json: Record<string, unknown> = {name: profile.name}
  if (profile.orgId !== undefined) json['org-id'] = profile.orgId
  if (profile.projectId !== undefined) json['project-id'] = profile.projectId
  if (profile.apiBaseUrl !== undefined) json['api-base-url'] = profile.apiBaseUrl
  if (profile.fmt !== undefined) json.fmt = profile.fmt
  if (profile.tokenConfig !== undefined) {
    // TokenConfigOpts fields are plain Options (no skip_serializing_if): serde prints null.
    const tc = profile.tokenConfig
    json['token-config'] = {
      audience: tc.audience ?? null,
      'client-id': tc.clientId ?? null,
      'identity-url': tc.identityUrl ?? null,
      'public-key': tc.publicKey ?? null,
    }
  }
  return json
}
