import {strict as assert} from 'node:assert'

import {runCli} from '../../../support/run-cli.js'

/** Help text with line wrapping undone (oclif wraps at the terminal width). */
async function help(command: string): Promise<string> {
  const r = await runCli(['mesdb', 'backups', command, '--help'])
  assert.equal(r.exitCode, 0)
  assert.equal(r.stderr, '')
  return r.stdout.replace(/\s+/g, ' ')
}

describe('esc mesdb backups --help', () => {
  it("shows esc's descriptions and flag help texts", async () => {
    const create = await help('create')
    assert.match(create, /^Create a backup USAGE/)
    assert.ok(create.includes('--source-cluster-id=<value> (required) The id of the cluster to create backup of'), create)
    assert.ok(create.includes('--description=<value> (required) A human-readable description of the backup'))
    assert.ok(create.includes('--org-id=<value> The organization id the backup will relate to [env: ESC_ORG_ID]'))
    assert.ok(create.includes('--project-id=<value> The project id the backup will relate to [env: ESC_PROJECT_ID]'))
    assert.ok(create.includes('--fmt=<option> Selects the output format <options: cli|cli-json|api|api-verbose|table>'))
    const get = await help('get')
    assert.match(get, /^Get information about a single backup USAGE/)
    assert.ok(get.includes("-i, --id=<value> (required) Backup's id"))
    assert.ok(get.includes('--org-id=<value> The organization id the backup relates to [env: ESC_ORG_ID]'))
    const del = await help('delete')
    assert.match(del, /^Delete a backup USAGE/)
    assert.ok(del.includes('-i, --id=<value> (required) Id of the backup you want to delete'))
    const list = await help('list')
    assert.match(list, /^List all backups of an organization, given a project id USAGE/)
    assert.ok(list.includes("--org-id=<value> An organization's id [env: ESC_ORG_ID]"))
    assert.ok(list.includes('-q, --quiet Print only ids, one per line'))
  })
})
