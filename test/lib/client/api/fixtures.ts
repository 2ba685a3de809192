/** API bodies shared by the client, output and command tests (the wire shapes of src/lib/contract/models.ts). */
import type {Backup, Cluster, HistoryItem, Job} from '../../../../src/lib/contract/models.js'
import type {TokenProvider} from '../../../../src/lib/client/auth/token-provider.js'

export const ORG = 'bt77lfqrh41scaatc180'
export const PROJECT = 'btfjev2rh41scaatc1k0'

export function backup(over: Partial<Backup> = {}): Backup {
  return {
    id: 'c1ev3l5o0aeu6ojco7b0',
    projectId: PROJECT,
    sourceClusterId: 'c1eut65o0aeu6ojco7a0',
    sourceClusterDescription: 'Demo-Backup',
    description: 'on demand backup',
    sizeGb: 8,
    provider: 'aws',
    region: 'eu-central-1',
    status: 'available',
    created: '2021-03-26T14:38:12Z',
    availableNodeCount: 1,
    serverVersion: '24.10',
    serverVersionTag: '24.10.1',
    ...over,
  }
}

export function cluster(over: Partial<Cluster> = {}): Cluster {
  return {
    id: 'c1mnqjdo0aembuk4ljo0',
    organizationId: ORG,
    projectId: 'c10d0h2rh41lba1v92k0',
    networkId: 'c10dr5qrh41lbabqa2j0',
    description: 'restore',
    provider: 'aws',
    region: 'eu-west-2',
    topology: 'single-node',
    instanceType: 'f1',
    diskSizeGb: 10,
    diskType: 'gp3',
    serverVersion: '24.10',
    serverVersionTag: '24.10.1',
    projectionLevel: 'off',
    status: 'available',
    created: '2021-03-26T09:37:17Z',
    health: 'ok',
    canExpandDisk: true,
    cloudIntegratedAuthentication: false,
    patchAvailable: false,
    protected: false,
    publicAccess: false,
    ...over,
  }
}

export function job(over: Partial<Job> = {}): Job {
  return {
    id: 'c1jobh2rh41lba1v92k0',
    organizationId: ORG,
    projectId: PROJECT,
    description: 'My Hourly Backup',
    schedule: '0 */1 * * *',
    status: 'active',
    type: 'ScheduledBackup',
    data: {clusterId: 'c196ogto0aeqohe3ommq', description: '{cluster} Hourly Backup {datetime:RFC3339}', maxBackupCount: 2},
    ...over,
  }
}

export function historyItem(over: Partial<HistoryItem> = {}): HistoryItem {
  return {
    id: 'h1',
    organizationId: ORG,
    projectId: PROJECT,
    jobId: 'c1jobh2rh41lba1v92k0',
    status: 'succeeded',
    details: 'backup created',
    linkedResource: 'c1ev3l5o0aeu6ojco7b0',
    startTime: '2021-03-26T14:00:00Z',
    endTime: '2021-03-26T14:05:00Z',
    ...over,
  }
}

/** A token source that counts refreshes; `refreshTo: Error` makes refresh fail. */
export function fakeTokens(initial = 'tok-1', refreshTo: string | Error = 'tok-2'): TokenProvider & {refreshes: number} {
  const t = {
    refreshes: 0,
    current: initial,
    async getAccessToken() {
      return t.current
    },
    async refresh() {
      t.refreshes++
      if (refreshTo instanceof Error) throw refreshTo
      t.current = refreshTo
      return refreshTo
    },
  }
  return t
}
