import {ORG, useCommandEnv} from '../clusters/helpers.js'

export {API, ORG, problem} from '../clusters/helpers.js'

/** The seed doc's project (the cluster tests use the restore example's). */
export const PROJECT = 'btfjev2rh41scaatc1k0'
export const BACKUPS = `/mesdb/v1/organizations/${ORG}/projects/${PROJECT}/backups`

/**
 * A temp home whose default profile has the org (not the project, like the seed doc), the API
 * URL in ESC_API_URL and ESC_ACCESS_TOKEN as credential; nock owns the network. The same set-up as the
 * other command tests (useCommandEnv).
 */
export function useBackupsEnv(): Pick<ReturnType<typeof useCommandEnv>, 'env' | 'home' | 'esc'> {
  const {env, home, esc} = useCommandEnv()
  return {env, home, esc}
}
