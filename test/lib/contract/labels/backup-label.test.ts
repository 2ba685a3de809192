import {strict as assert} from 'node:assert'

import {renderBackupLabel} from '../../../../src/lib/contract/labels/backup-label.js'
import {LabelTemplateError} from '../../../../src/lib/contract/labels/index.js'

function sources() {
  const calls: string[] = []
  return {
    calls,
    clusterId: 'c1',
    now: () => new Date('2021-03-26T14:38:12Z'),
    cluster: async () => {
      calls.push('cluster')
      return {id: 'c1', description: 'Demo', provider: 'gcp'}
    },
    existingBackups: async () => {
      calls.push('backups')
      return 4
    },
  }
}

describe('labels: client-side backup labels', () => {
  it('fetches nothing for a plain description or escapes only', async () => {
    const s = sources()
    assert.deepEqual(await renderBackupLabel('on demand backup', s), {label: 'on demand backup', templated: false})
    assert.deepEqual(await renderBackupLabel('a {{b}}', s), {label: 'a {b}', templated: false})
    assert.deepEqual(s.calls, [])
  })

  it('fetches nothing for {datetime} and {cluster:id}', async () => {
    const s = sources()
    assert.equal((await renderBackupLabel('{cluster:id} {datetime:json}', s)).label, 'c1 2021-03-26T14:38:12.000Z')
    assert.deepEqual(s.calls, [])
  })

  it('fetches the cluster for its description or provider, and the backups for {index}', async () => {
    const s = sources()
    assert.deepEqual(await renderBackupLabel('{cluster} {cluster:provider} #{index}', s), {label: 'Demo gcp #5', templated: true})
    assert.deepEqual(s.calls.sort(), ['backups', 'cluster'])
  })

  it('refuses an invalid template before fetching anything', async () => {
    const s = sources()
    await assert.rejects(renderBackupLabel('{index} {oops}', s), LabelTemplateError)
    assert.deepEqual(s.calls, [])
  })
})
