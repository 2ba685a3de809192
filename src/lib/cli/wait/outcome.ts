import {formatDuration} from '../../core/duration.js'
import {EscError} from '../../core/errors.js'
import {WaitResult} from './wait-for-status.js'

export interface WaitTarget {
  /** e.g. `backup c1ev3l5o0aeu6ojco7b0`, `cluster c1mn…`, `run of job c1…`. */
  label: string
  /** The command that resumes the wait, e.g. `esc mesdb backups wait -i c1ev… --project-id p1`. */
  reattach?: string
  /** The command that resumes the wait after a timeout (a longer one); `reattach` when absent. */
  reattachAfterTimeout?: string
  timeoutMs: number
  /** Explanation of a failure (history details, problem text), shown after the status. */
  details?: string
}

/**
 * Turns the end of a wait into the error the command should exit with (undefined on success):
 * `failed` → exit 5 with the status and details; `timeout` → exit 4 and the re-attach command;
 * `interrupted` → exit 130, saying the operation goes on in the cloud.
 */
export function waitOutcomeError<T>(result: WaitResult<T>, target: WaitTarget): EscError | undefined {
  const reattach = target.reattach ? [`Re-attach with: ${target.reattach}`] : []
  switch (result.outcome) {
    case 'done': {
      return undefined
    }
    case 'failed': {
      const details = target.details ? `: ${target.details}` : ''
      return new EscError(`The ${target.label} ended with status '${result.status ?? 'unknown'}'${details}`, {
        kind: 'failed-state',
      })
    }
    case 'timeout': {
      const last = result.status ? ` (last status: '${result.status}')` : ''
      const again = target.reattachAfterTimeout ?? target.reattach
      return new EscError(
        `Timed out after ${formatDuration(target.timeoutMs)} waiting for the ${target.label}${last}; it continues in the cloud`,
        {kind: 'timeout', suggestions: again ? [`Re-attach with: ${again}`] : []},
      )
    }
    case 'interrupted': {
      return new EscError(`Interrupted: stopped waiting for the ${target.label}; the operation continues in the cloud`, {
        kind: 'interrupted',
        suggestions: reattach,
      })
    }
  }
}

/** Quotes an argument for a shell command line shown to the user (POSIX single quotes). */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`
}

/** `esc mesdb backups wait -i b1 --org-id o1 --project-id p1 [--timeout 2h]`: org and project are always spelled out. */
export function reattachCommand(command: string, id: string, orgId: string, projectId: string, extra: string[] = []): string {
  return ['esc', command, '-i', id, '--org-id', orgId, '--project-id', projectId, ...extra]
    .map((a, i) => (i === 1 ? a : shellQuote(a)))
    .join(' ')
}
