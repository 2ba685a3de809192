import type {BootstrapCredentials} from '../../server/identity.js'
import type {LocalProfileResult} from './local-profile.js'

/** What `esc local start` shows once the local cloud listens. */
export interface StartBannerFacts {
  url: string
  pid: number
  stateDir: string
  adminCredentialsFile: string
  /** The "local" profile written for the user, or why it could not be. */
  profile: LocalProfileResult | Error
  /** What crash recovery marked defunct at this start. */
  recovery: {defunctBackups: string[]; defunctClusters: string[]}
  /** Present at the first start only: the credentials are shown once, then only their hashes are kept. */
  bootstrap?: BootstrapCredentials
}

/** The text `esc local start` prints on stdout: where it runs, the profile, the first start's credentials, what to try next. */
export function startBanner(facts: StartBannerFacts): string {
  const {url, stateDir, profile, recovery, bootstrap} = facts
  const lines = [
    `Local cloud running at ${url} (pid ${facts.pid})`,
    `State directory: ${stateDir}`,
    profile instanceof Error
      ? `WARNING: could not write the "local" profile or its token: ${profile.message}`
      : `Profile "${profile.profile}" written to ${profile.settingsDir}/settings.toml${profile.madeDefault ? ' (now the default profile)' : ''}; its token is in the ${profile.tokenSource === 'keychain' ? 'keychain' : 'token file'}`,
  ]
  if (recovery.defunctBackups.length > 0 || recovery.defunctClusters.length > 0) {
    lines.push(`Crash recovery: ${recovery.defunctBackups.length} backup(s) and ${recovery.defunctClusters.length} restore(s) left in progress were marked defunct`)
  }
  if (bootstrap) {
    lines.push(
      '',
      'Credentials of this local cloud (shown once; only their hashes are kept):',
      `  user:          ${bootstrap.username}`,
      `  password:      ${bootstrap.password}`,
      `  client id:     ${bootstrap.clientId}`,
      `  client secret: ${bootstrap.clientSecret}  (also in ${facts.adminCredentialsFile}, mode 0600)`,
      `  refresh token: ${bootstrap.refreshToken}`,
    )
  }
  lines.push(
    '',
    'Next:',
    `  esc local demo-data --dir ${stateDir}    # a cluster with live data`,
    '  esc mesdb clusters list --profile local',
    '  esc mesdb backups create --profile local --source-cluster-id <cluster id> --description "on demand backup"',
    '  esc mesdb backups list --profile local',
    `  esc local status --dir ${stateDir}`,
    `  esc local stop --dir ${stateDir}`,
  )
  return `${lines.join('\n')}\n`
}

/** Said on stderr when the server binds an address that is not loopback. */
export function nonLoopbackWarning(host: string, url: string): string {
  return `Warning: listening on ${host}, which is not loopback: anyone who can reach port ${new URL(url).port} can try the API.`
}
