import {ADMIN_USER, type BootstrapCredentials} from '../../server/identity.js'
import type {LocalProfileResult} from './local-profile.js'

/** What `esc local start` shows once the local cloud listens. */
export interface StartBannerFacts {
  url: string
  pid: number
  stateDir: string
  adminCredentialsFile: string
  /** The profile written for the user (or kept), or why it could not be written. */
  profile: LocalProfileResult | Error
  /** What crash recovery marked defunct at this start. */
  recovery: {defunctBackups: string[]; defunctClusters: string[]}
  /** Present at the first start only: the credentials are shown once, then only their hashes are kept. */
  bootstrap?: BootstrapCredentials
}

/**
 * The text `esc local start` prints on stdout: where it runs, the profile, the first start's
 * credentials, what to try next. `defaultDir`: the state directory is the one the other `esc local`
 * commands use without --dir, so the "Next:" lines leave it out.
 */
export function startBanner(facts: StartBannerFacts, options: {defaultDir: boolean}): string {
  const {url, stateDir, profile, recovery, bootstrap} = facts
  const lines = [
    `Local cloud running at ${url} (pid ${facts.pid})`,
    consoleLine(url, bootstrap),
    `State directory: ${stateDir}`,
    profileLine(profile),
  ]
  if (recovery.defunctBackups.length > 0 || recovery.defunctClusters.length > 0) {
    lines.push(
      `Crash recovery: ${recovery.defunctBackups.length} backup(s) and ${recovery.defunctClusters.length} restore(s) left in progress were marked defunct`,
    )
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
  const dir = options.defaultDir ? '' : ` --dir ${stateDir}`
  lines.push('', 'Next:', `  esc local demo-data${dir}    # a cluster with live data`)
  if (!(profile instanceof Error) && !profile.kept) {
    const p = `--profile ${profile.profile}`
    lines.push(
      `  esc mesdb clusters list ${p}`,
      `  esc mesdb backups create ${p} --source-cluster-id <cluster id> --description "on demand backup"`,
      `  esc mesdb backups list ${p}`,
    )
  }
  lines.push(`  esc local status${dir}`, `  esc local stop${dir}`)
  return `${lines.join('\n')}\n`
}

/** The console is served on the API's port; its password is never repeated here (only its hash is kept after the first start). */
function consoleLine(url: string, bootstrap: BootstrapCredentials | undefined): string {
  const user = bootstrap?.username ?? ADMIN_USER
  const password = bootstrap ? 'the password below' : 'the password printed at the first start'
  return `Console: ${url.replace(/\/?$/, '/')} (sign in as ${user} with ${password})`
}

function profileLine(profile: LocalProfileResult | Error): string {
  if (profile instanceof Error) return `WARNING: could not write the profile or its token: ${profile.message}`
  if (profile.kept) {
    return `Profile "${profile.profile}" kept: it points at another local cloud, still running at ${profile.kept}; to reach this one, start it with --profile <another name>`
  }
  const where = profile.tokenSource === 'keychain' ? 'keychain' : 'token file'
  return `Profile "${profile.profile}" written to ${profile.settingsDir}/settings.toml${profile.madeDefault ? ' (now the default profile)' : ''}; its token is in the ${where}`
}

/** Said on stderr when the server binds an address that is not loopback. */
export function nonLoopbackWarning(host: string, url: string): string {
  return `Warning: listening on ${host}, which is not loopback: anyone who can reach port ${new URL(url).port} can try the API.`
}
