import {strict as assert} from 'node:assert'

import {globalFlags} from '../../src/lib/cli/base-cloud-command.js'

describe('bin/global-flags.js', () => {
  it('hoists exactly the global flags the cloud commands define, switches and flags with a value alike', async () => {
    const {SWITCHES, WITH_VALUE} = (await import(new URL('../../bin/global-flags.js', import.meta.url).href)) as {
      SWITCHES: Set<string>
      WITH_VALUE: Set<string>
    }
    const defined = Object.entries(globalFlags)
    // A short form or a --no- form would need hoisting too; bin/global-flags.js knows long names only.
    for (const [name, flag] of defined) {
      assert.equal(flag.char, undefined, `--${name} has a short form`)
      assert.ok(!(flag.type === 'boolean' && flag.allowNo), `--${name} has a --no- form`)
    }
    const names = (type: string) =>
      defined
        .filter(([, f]) => f.type === type)
        .map(([name]) => `--${name}`)
        .sort()
    assert.deepEqual([...SWITCHES].sort(), names('boolean'))
    assert.deepEqual([...WITH_VALUE].sort(), names('option'))
  })
})
