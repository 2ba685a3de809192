import {readFileSync} from 'node:fs'

/**
 * Whether `pid` is a live process: the owner of a backup directory's `.lock` or of a local cloud.
 * A process killed with -9 may linger as a zombie (PID 1 here does not reap, so kill(pid, 0) still
 * succeeds): state Z (or X) in /proc counts as dead. EPERM means alive, owned by another user.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0]
    return state !== 'Z' && state !== 'X'
  } catch {
    // Gone between the two checks on Linux; elsewhere there is no /proc to ask.
    return process.platform !== 'linux'
  }
}
