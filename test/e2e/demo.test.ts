import {strict as assert} from 'node:assert'

import {assertBuilt, runDemo} from './support.js'

/**
 * `npm start` (scripts/demo.js) as a user runs it, stdout and stderr in one stream as a terminal
 * shows them: the restore goes into a fresh test project with its own network, and that project is
 * deleted at the end.
 */
describe('e2e: npm start (the demo)', function () {
  this.timeout(180_000)
  before(assertBuilt)

  it('restores into a fresh test project, verifies the data and deletes the project, with progress before each result', async () => {
    const env: NodeJS.ProcessEnv = {PATH: process.env.PATH, HOME: process.env.HOME, CI: 'true', TMPDIR: process.env.TMPDIR}
    const {code, out} = await runDemo([], env)
    assert.equal(code, 0, out)
    const section = out.slice(out.indexOf('== Restore the newest scheduled backup into a fresh test project'), out.indexOf('== Summary'))
    const project = /\$ esc resources projects create --name 'restore test' -q\n([0-9a-v]{20})\n/.exec(section)?.[1]
    assert.ok(project, section)
    // The network's progress comes before its id, as it happened.
    const network = new RegExp(
      `\\$ esc infra networks create --project-id ${project} --provider aws --region local --cidr-block 10\\.0\\.0\\.0/16 .*--wait.* -q\\n` +
        'network ([0-9a-v]{20}): provisioning \\(\\d+s\\)\\nnetwork \\1: available \\(\\d+s\\)\\n\\1\\n',
    ).exec(section)?.[1]
    assert.ok(network, section)
    const restore = new RegExp(
      `\\$ esc mesdb clusters create --project-id ${project} --source-project-id [0-9a-v]{20} --source-backup-id [0-9a-v]{20} --network-id ${network} .*\\n(?:cluster .*\\n)*([0-9a-v]{20})\\n`,
    ).exec(section)?.[1]
    assert.ok(restore, section)
    assert.match(section, new RegExp(`OK: \\S+/clusters/${restore}/db \\(data directory\\)`))
    assert.match(section, new RegExp(`\\$ esc resources projects delete --org-id [0-9a-v]{20} --id ${project}\\n`))
    assert.match(out, new RegExp(`into cluster ${restore} of test project ${project}; node verify passed; project deleted\\n`))
  })
})
