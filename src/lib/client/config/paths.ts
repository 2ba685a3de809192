import {homedir} from 'node:os'
import {join} from 'node:path'

/** `~/.esc`, or `ESC_CONFIG_DIR` when set (tests and side-by-side installs use it). */
export function configDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.ESC_CONFIG_DIR
  return fromEnv && fromEnv.length > 0 ? fromEnv : join(homedir(), '.esc')
}

export function settingsPath(dir: string = configDir()): string {
  return join(dir, 'settings.toml')
}

/** esc keeps one token per audience host: `~/.esc/tokens/<host>`. */
export function tokensDir(dir: string = configDir()): string {
  return join(dir, 'tokens')
}
