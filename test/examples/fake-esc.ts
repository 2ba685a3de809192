import {writeFile} from 'node:fs/promises'
import {join} from 'node:path'

/**
 * A stand-in for esc that the restore script runs through ESC: it answers the calls the script
 * makes with canned JSON, records every call (one JSON array of arguments per line) and fails the
 * calls a test names, so each step's failure and the teardown after it can be checked without a
 * cloud. It keeps the test project's clusters and networks in a state file, so a list after a
 * delete no longer shows what was deleted.
 */
const FAKE = String.raw`
import {appendFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
const args = process.argv.slice(2)
const dir = process.env.FAKE_ESC_DIR
appendFileSync(dir + '/calls.log', JSON.stringify(args) + '\n')
const statePath = dir + '/state.json'
const state = existsSync(statePath) ? JSON.parse(readFileSync(statePath, 'utf8')) : {clusters: [], networks: []}
const save = () => writeFileSync(statePath, JSON.stringify(state))
const command = args.filter((a) => /^[a-z]+$/.test(a)).slice(0, 3).join(' ')
const flag = (name) => args[args.indexOf(name) + 1]
const failing = (process.env.FAKE_ESC_FAIL ?? '').split(',').filter(Boolean)
if (failing.includes(command)) {
  process.stderr.write('Error: ' + command + ' failed (fake)\n')
  process.exit(1)
}
const print = (value) => process.stdout.write(typeof value === 'string' ? value + '\n' : JSON.stringify(value, null, 2))
const backups = JSON.parse(process.env.FAKE_ESC_BACKUPS ?? '[]')
if (process.env.FAKE_ESC_GARBLED === command) {
  process.stdout.write('ClusterId("not json")\n')
  process.exit(0)
}
switch (command) {
  case 'mesdb clusters get':
    print({id: flag('--id'), organizationId: 'org1', projectId: 'prod1', networkId: 'net-prod', description: 'prod',
      provider: 'aws', region: 'eu-west-1', topology: 'three-node-multi-zone', instanceType: 'C4', diskSizeGb: 16,
      diskType: 'gp3', serverVersion: '24.10', projectionLevel: 'system', status: 'available'})
    break
  case 'infra networks get':
    print({projectId: 'prod1', id: flag('--id'), provider: 'aws', region: 'eu-west-1', cidrBlock: '172.21.0.0/16', description: 'prod', status: 'available'})
    break
  case 'mesdb backups list':
    print(backups)
    break
  case 'resources projects create':
    print('test-project')
    break
  case 'infra networks create':
    state.networks.push('test-network')
    save()
    print('test-network')
    break
  case 'mesdb clusters create':
    state.clusters.push('restored-cluster')
    save()
    if (process.env.FAKE_ESC_RESTORE_FAILS) {
      process.stderr.write('Error: cluster restored-cluster is defunct\n')
      process.exit(5)
    }
    print('restored-cluster')
    break
  case 'mesdb clusters list':
    print(state.clusters.map((id) => ({id, status: 'available'})))
    break
  case 'infra networks list':
    print(state.networks.map((id) => ({id, status: 'available'})))
    break
  case 'mesdb clusters delete':
    state.clusters = state.clusters.filter((id) => id !== flag('--id'))
    save()
    break
  case 'infra networks delete':
    state.networks = state.networks.filter((id) => id !== flag('--id'))
    save()
    break
  case 'resources projects delete':
    break
  default:
    process.stderr.write('fake esc: unexpected call ' + JSON.stringify(args) + '\n')
    process.exit(99)
}
`

export async function writeFakeEsc(dir: string): Promise<string> {
  const path = join(dir, 'fake-esc.mjs')
  await writeFile(path, FAKE)
  return path
}
