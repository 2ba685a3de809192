import {strict as assert} from 'node:assert'

import {previewBackupLabel} from '../../../../src/lib/contract/labels/backup-label.js'
import {parseLabelTemplate} from '../../../../src/lib/contract/labels/index.js'

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

const preview = (template: string, s: ReturnType<typeof sources>) => previewBackupLabel(parseLabelTemplate(template), s)

describe('labels: dry-run preview of a backup label', () => {
  it('fetches nothing for a plain description or escapes only', async () => {
    const s = sources()
    assert.deepEqual(await preview('on demand backup', s), {label: 'on demand backup', existingBackups: undefined})
    assert.deepEqual(await preview('a {{b}} <v24>', s), {label: 'a {b} <v24>', existingBackups: undefined})
    assert.deepEqual(s.calls, [])
  })

  it('fetches nothing for {datetime} and {cluster:id}', async () => {
    const s = sources()
    assert.equal((await preview('{cluster:id} {datetime:json}', s)).label, 'c1 2021-03-26T14:38:12.000Z')
    assert.deepEqual(s.calls, [])
  })

  it('fetches the cluster for its description or provider, and the backups for an estimated {index}', async () => {
    const s = sources()
    assert.deepEqual(await preview('{cluster} {cluster:provider} #{index}', s), {label: 'Demo gcp #5', existingBackups: 4})
    assert.deepEqual(s.calls.sort(), ['backups', 'cluster'])
  })
})
