import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

/** A throwaway HOME + ESC_CONFIG_DIR so no test ever touches the real ~/.esc. */
export interface TempHome {
  home: string
  configDir: string
  env: NodeJS.ProcessEnv
  cleanup(): void
}

export function tempHome(extraEnv: NodeJS.ProcessEnv = {}): TempHome {
  const home = mkdtempSync(join(tmpdir(), 'esc-a2-'))
  const configDir = join(home, '.esc')
  return {
    home,
    configDir,
    env: {HOME: home, ESC_CONFIG_DIR: configDir, ESC_KEYRING: '0', ...extraEnv},
    cleanup: () => rmSync(home, {recursive: true, force: true}),
  }
}

/** Runs fn while collecting what it writes to process.stderr. */
export async function captureStderr<T>(fn: () => Promise<T>): Promise<{result: T; stderr: string}> {
  const original = process.stderr.write.bind(process.stderr)
  let stderr = ''
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8')
    return true
  }) as typeof process.stderr.write
  try {
    const result = await fn()
    return {result, stderr}
  } finally {
    process.stderr.write = original
  }
}
