import {spawn} from 'node:child_process'
import {openSync} from 'node:fs'
import {mkdir} from 'node:fs/promises'

import {StateLayout} from '../../server/layout.js'

/**
 * The handshake of `esc local start --detach`. The parent runs the same command without --detach
 * in a new session (its stdout and stderr are server.log) and waits for one message over IPC: the
 * banner and any warning once the child listens, or why it could not start. Both sides are here.
 */
type StartMessage = {banner: string; warning?: string} | {error: string; suggestions: string[]}

/** Parent side: starts the child and returns what it reported for the caller to show, or throws its error. */
export async function startDetached(dir: string, argv: string[], timeoutMs = 30_000): Promise<{banner: string; warning?: string}> {
  const layout = new StateLayout(dir)
  await mkdir(layout.root, {recursive: true, mode: 0o700})
  const logFd = openSync(layout.logFile, 'a', 0o600)
  const args = [...process.execArgv, process.argv[1], 'local', 'start', ...argv.filter((a) => a !== '--detach' && a !== '-d')]
  const child = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: {...process.env, ESC_LOCAL_DETACHED: '1'},
  })
  return new Promise<{banner: string; warning?: string}>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`the local cloud did not start within ${timeoutMs / 1000} s; see ${layout.logFile}`))
    }, timeoutMs)
    child.once('message', (message: Partial<{banner: string; warning: string; error: string; suggestions: string[]}>) => {
      clearTimeout(timer)
      child.disconnect()
      child.unref()
      if (message.error) reject(Object.assign(new Error(message.error), {suggestions: message.suggestions ?? []}))
      else resolvePromise({banner: message.banner ?? '', ...(message.warning ? {warning: message.warning} : {})})
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`the local cloud exited during start (code ${code}); see ${layout.logFile}`))
    })
  })
}

/** Child side: true when started by startDetached (an IPC channel to the parent is open). */
export function isDetachedChild(): boolean {
  return typeof process.send === 'function'
}

/** Child side: the server listens; the parent shows `banner` (and `warning`: this process's stderr is server.log). */
export function reportStarted(banner: string, warning?: string): void {
  send({banner, ...(warning ? {warning} : {})})
  process.disconnect?.()
}

/** Child side: the server could not start; the parent fails with this message. */
export function reportStartFailed(error: string, suggestions: string[]): void {
  send({error, suggestions})
}

function send(message: StartMessage): void {
  process.send?.(message)
}
