import {strict as assert} from 'node:assert'
import {execFileSync} from 'node:child_process'

const runJs = new URL('../../bin/run.js', import.meta.url).pathname

/** A topic given alone prints its own description first, then its commands (exit 0). */
describe('topic help', () => {
  const topics: [string[], string][] = [
    [['mesdb', 'backups'], 'Gathers backup management commands'],
    [['mesdb', 'clusters'], 'Gathers cluster management commands'],
    [['orchestrate', 'jobs'], 'Gathers job management commands'],
    [['orchestrate', 'history'], 'Gathers job history commands'],
    [['access', 'tokens'], 'Create and display access tokens'],
    [['resources'], 'Gathers organizations and projects management commands'],
    [['resources', 'organizations'], 'Gathers organizations management commands'],
    [['resources', 'projects'], 'Gathers projects management commands'],
    [['infra'], 'Gathers networks and peering management commands'],
    [['infra', 'networks'], 'Gathers networks management commands'],
    [['infra', 'acls'], 'Gathers acls management commands'],
    [['infra', 'peerings'], 'Gathers peering management commands'],
    [['local', 'clusters'], 'Nodes the local cloud serves from data directories you run'],
  ]
  for (const [words, description] of topics) {
    it(`esc ${words.join(' ')} describes the topic, not its first command`, () => {
      const out = execFileSync(process.execPath, [runJs, ...words], {encoding: 'utf8', env: {...process.env, NO_COLOR: '1'}})
      assert.equal(out.split('\n')[0], description)
      assert.match(out, new RegExp(`\\$ esc ${words.join(' ')} COMMAND`))
    })
  }
})
