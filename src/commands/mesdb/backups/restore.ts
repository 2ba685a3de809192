import {Flags} from '@oclif/core'

import type {Cluster} from '../../../lib/contract/models.js'
import {clustersPath} from '../../../lib/client/api/client.js'
import {CloudCommand, idFlag, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {optionalClusterFields, optionalClusterFlags} from '../../../lib/cli/restore/cluster-flags.js'
import {PROJECTION_LEVELS, TOPOLOGIES} from '../../../lib/cli/restore/cluster-request.js'
import {printDryRun} from '../../../lib/cli/restore/dry-run.js'
import {readBackup, unreadBackupWarning} from '../../../lib/cli/restore/backup-check.js'
import {planRestore, planRestoreFromInputs} from '../../../lib/cli/restore/restore-plan.js'
import {createCluster} from '../../../lib/cli/wait/cluster.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'
import {httpStatusOf} from '../../../lib/cli/wait/transient.js'

export default class BackupsRestore extends CloudCommand {
  static override description = `Restore a backup into a new cluster

A shortcut for \`mesdb clusters create --source-backup-id\`: settings not given are copied from the
backup's source cluster when it still exists (network, topology, instance type, disk, projection
level) and from the backup (server version, size). Prints the new cluster's id.
To restore into another project, pass --project-id (the target), --source-project-id (the project of
the backup) and --network-id (a network of the target project).`

  static override examples = [
    '<%= config.bin %> mesdb backups restore -i c10dvoarh41lb9otkdrg --description "restore test" --wait',
    '<%= config.bin %> mesdb backups restore -i c10dvoarh41lb9otkdrg --project-id test-project --source-project-id prod-project --network-id c10dr5qrh41lbabqa2j0 --dry-run',
  ]

  static override flags = {
    'org-id': orgFlag('The organization id of the projects'),
    'project-id': projectFlag('The project id the new cluster will be created in'),
    id: idFlag('Id of the backup to restore'),
    'source-project-id': Flags.string({description: 'The project id the backup belongs to (default: --project-id)'}),
    description: Flags.string({
      description: "A human-readable description of the new cluster (default: 'Restore of <backup description>')",
    }),
    'network-id': Flags.string({description: 'The network id the cluster will be set on'}),
    topology: Flags.string({description: 'Either single-node or three-node-multi-zone', options: [...TOPOLOGIES]}),
    'instance-type': Flags.string({description: 'Type of instance, e.g. F1 for a micro or C4 for a large instance'}),
    'disk-size-in-gb': Flags.integer({description: 'Total disk capacity in Gigabytes (GB), at least the backup size', min: 1}),
    'disk-type': Flags.string({description: 'The type of disk, e.g. gp3 on AWS'}),
    'server-version': Flags.string({description: 'EventStoreDB server version'}),
    'projection-level': Flags.string({description: 'The projection level: off, system or user', options: [...PROJECTION_LEVELS]}),
    ...optionalClusterFlags,
    'dry-run': Flags.boolean({description: 'Print the request instead of sending it'}),
    ...waitFlags('the new cluster is available'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(BackupsRestore)
    const timing = waitTiming(flags, this.clocks.wait, {wait: flags.wait})
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const sourceProjectId = flags['source-project-id'] ?? projectId
    const api = await this.apiClient(flags)
    const printer = await this.output(flags)
    const inputs = {
      description: flags.description,
      networkId: flags['network-id'],
      topology: flags.topology,
      instanceType: flags['instance-type'],
      diskSizeGb: flags['disk-size-in-gb'],
      diskType: flags['disk-type'],
      serverVersion: flags['server-version'],
      projectionLevel: flags['projection-level'],
      ...optionalClusterFields(flags),
    }
    const read = await readBackup(() => api.getBackup(orgId, sourceProjectId, flags.id))
    let plan
    if (read.backup) {
      const sourceCluster = await getIfExists(() => api.getCluster(orgId, sourceProjectId, read.backup.sourceClusterId))
      plan = planRestore({backup: read.backup, sourceCluster, targetProjectId: projectId, sourceProjectId, inputs})
    } else {
      // Without the backup nothing can be copied: go on only when the flags say everything, and let the API decide.
      plan = planRestoreFromInputs(flags.id, inputs, projectId, sourceProjectId)
      if (!plan) throw read.error
      process.stderr.write(unreadBackupWarning(flags.id, read.error))
    }
    if (flags['dry-run']) {
      const notes: Array<[string, string[]]> = plan.defaults.length > 0 ? [['Defaults', plan.defaults]] : []
      printDryRun({method: 'POST', path: clustersPath(orgId, projectId), body: plan.request, notes}, printer.format)
      return
    }
    await createCluster(api, printer, orgId, projectId, plan.request, {wait: flags.wait, timing})
  }
}

/** The source cluster, or undefined when it was deleted since the backup (404). */
async function getIfExists(get: () => Promise<{data: {cluster: Cluster}}>): Promise<Cluster | undefined> {
  try {
    return (await get()).data.cluster
  } catch (error) {
    if (httpStatusOf(error) === 404) return undefined
    throw error
  }
}
