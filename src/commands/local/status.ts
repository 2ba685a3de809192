import {Flags} from '@oclif/core'

import {BaseCommand} from '../../lib/cli/base-command.js'
import {EscError} from '../../lib/core/errors.js'

interface StatusBody {
  pid: number
  startedAt: string
  uptimeSeconds: number
  organizationId: string
  projectId: string
  stateDir: string
  runningOperations: number
  scheduledJobs: number
  counts: {clusters: number; backups: number; jobs: number; history: number}
}

export default class LocalStatus extends BaseCommand {
  static override enableJsonFlag = true
  static override description = 'Show whether the local cloud runs: URL, pid, uptime and what it holds. Exits 1 when it is not running'
  static override flags = {
    dir: Flags.string({description: 'State directory [default: ~/.esc/local] [env: ESC_LOCAL_DIR]'}),
  }

  public async run(): Promise<StatusBody & {running: true; url: string}> {
    const {flags} = await this.parse(LocalStatus)
    const {adminRequest, resolveStateDir, runningServer} = await import('../../lib/cli/local/control.js')
    const dir = resolveStateDir(flags.dir)
    const info = await runningServer(dir)
    if (!info) {
      // Scripts read the answer from stdout either way; the exit code still says "not running".
      if (this.jsonEnabled()) process.stdout.write(`${JSON.stringify({running: false, stateDir: dir}, null, 2)}\n`)
      throw new EscError(`no local cloud is running on ${dir}`, {suggestions: [`Start it with \`esc local start --dir ${dir}\``]})
    }
    const status = await adminRequest<StatusBody>(dir, 'GET', '/local/v1/status', undefined, {debug: this.debugLog()})
    const result = {running: true as const, url: info.url, ...status}
    if (this.jsonEnabled()) return result
    const c = status.counts
    process.stdout.write(
      [
        `URL:            ${info.url}`,
        `pid:            ${status.pid}`,
        `uptime:         ${formatUptime(status.uptimeSeconds)}`,
        `state dir:      ${status.stateDir}`,
        `organization:   ${status.organizationId}`,
        `project:        ${status.projectId}`,
        `clusters:       ${c.clusters}`,
        `backups:        ${c.backups}`,
        `jobs:           ${c.jobs} (${status.scheduledJobs} scheduled)`,
        `history items:  ${c.history}`,
        `running now:    ${status.runningOperations} operation(s)`,
      ].join('\n') + '\n',
    )
    return result
  }
}

function formatUptime(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return h > 0 ? `${h}h ${m}m ${s}s` : m > 0 ? `${m}m ${s}s` : `${s}s`
}
