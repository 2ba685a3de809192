import {strict as assert} from 'node:assert'

import {runCli} from '../../../support/run-cli.js'

/** Help text with line wrapping undone (oclif wraps at the terminal width). */
async function help(command: string): Promise<string> {
  const r = await runCli(['mesdb', 'clusters', command, '--help'])
  assert.equal(r.exitCode, 0)
  assert.equal(r.stderr, '')
  return r.stdout.replace(/\s+/g, ' ')
}

const GLOBALS =
  '[--debug] [--json] [--fmt cli|cli-json|api|api-verbose|table] [--refresh-token <value>] [--noninteractive] [--profile <value>] [--api-url <value>] [--no-truncate]'
const TAIL = '[--org-id <value>] [--project-id <value>] [--wait] [--timeout <value>] [--poll-interval <value>] [-q]'

describe('esc mesdb clusters start|stop|resize|upgrade --help', () => {
  const cases = [
    {command: 'start', title: 'Starts a cluster', required: '', waitUntil: 'the cluster is available;'},
    {command: 'stop', title: 'Stops a cluster', required: '', waitUntil: 'the cluster is stopped;'},
    {command: 'resize', title: 'Resize a cluster', required: ' --target-size <value>', waitUntil: 'the cluster is available again;'},
    {command: 'upgrade', title: 'Upgrade a cluster', required: ' --target-tag <value>', waitUntil: 'the cluster is available again;'},
  ]
  for (const c of cases) {
    it(`${c.command}: the flags in the same order, the id and --wait help naming what it does`, async () => {
      const text = await help(c.command)
      assert.ok(text.startsWith(`${c.title} USAGE $ esc mesdb clusters ${c.command} -i <value>${c.required} ${GLOBALS} ${TAIL} `), text)
      assert.ok(text.includes(`-i, --id=<value> (required) Id of the cluster you want to ${c.command} `), text)
      assert.ok(text.includes(`--org-id=<value> The organization id the cluster relates to [env: ESC_ORG_ID]`), text)
      assert.ok(text.includes(`--project-id=<value> The project id the cluster relates to [env: ESC_PROJECT_ID]`), text)
      assert.ok(text.includes(`--wait Wait until ${c.waitUntil} progress on stderr`), text)
      assert.ok(text.includes(`EXAMPLES $ esc mesdb clusters ${c.command} -i c1mnqjdo0aembuk4ljo0 `), text)
    })
  }
})
