import {Flags} from '@oclif/core'

import {clustersPath} from '../../../lib/client/api/client.js'
import {nonBlankFlag} from '../../../lib/cli/base-flags.js'
import {CloudCommand, orgFlag, projectFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {optionalClusterFields, optionalClusterFlags} from '../../../lib/cli/restore/cluster-flags.js'
import {clusterRequest, PROJECTION_LEVELS, TOPOLOGIES} from '../../../lib/cli/restore/cluster-request.js'
import {printDryRun} from '../../../lib/cli/restore/dry-run.js'
import {readBackup, unreadBackupWarning} from '../../../lib/cli/restore/backup-check.js'
import {checkRestoreDiskSize} from '../../../lib/cli/restore/restore-plan.js'
import {createCluster} from '../../../lib/cli/wait/cluster.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'

export default class ClustersCreate extends CloudCommand {
  static override description = `Create a cluster

With --source-backup-id the new cluster is a restore of that backup (add --source-project-id when the
backup belongs to another project); the disk must be at least as large as the backup.`
  static override examples = [
    `<%= config.bin %> mesdb clusters create --description "restore" --source-backup-id c10dvoarh41lb9otkdrg \\
    --instance-type F1 --disk-size-in-gb 10 --disk-type gp3 --network-id c10dr5qrh41lbabqa2j0 \\
    --projection-level off --server-version 24.10 --topology single-node --project-id c10d0h2rh41lba1v92k0`,
  ]

  static override flags = {
    'org-id': orgFlag('The organization id the cluster will relate to'),
    'project-id': projectFlag('The project id the cluster will relate to'),
    'network-id': Flags.string({description: 'The network id the cluster will be set on', required: true}),
    description: nonBlankFlag({description: 'A human-readable description of the cluster', fix: 'give the cluster a description'}),
    topology: Flags.string({description: 'Either single-node or three-node-multi-zone', required: true, options: [...TOPOLOGIES]}),
    'instance-type': Flags.string({
      description: 'Type of instance, based on its hardware. For example, it could be F1 for a micro or C4 for a large instance',
      required: true,
    }),
    'disk-size-in-gb': Flags.integer({description: 'Total disk capacity in Gigabytes (GB)', required: true, min: 1}),
    'disk-type': Flags.string({
      description: 'The type of disk. For example, if you are using AWS as a provider, it could be GP2',
      required: true,
    }),
    'server-version': Flags.string({description: 'EventStoreDB server version', required: true}),
    'projection-level': Flags.string({
      description: 'The projection level of your database. Can be off, system or user',
      required: true,
      options: [...PROJECTION_LEVELS],
    }),
    'source-backup-id': Flags.string({description: 'Optional id of backup to restore'}),
    'source-project-id': Flags.string({
      description: 'Optional id of the project the backup belongs to; required for cross-project backup restores',
    }),
    ...optionalClusterFlags,
    provider: Flags.string({description: 'The cloud provider (aws, gcp, azure)'}),
    region: Flags.string({description: 'The cloud region'}),
    'dry-run': Flags.boolean({description: 'Print the request instead of sending it'}),
    ...waitFlags('the cluster is available'),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(ClustersCreate)
    const timing = waitTiming(flags, this.clocks.wait, {wait: flags.wait})
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const body = clusterRequest({
      description: flags.description,
      diskSizeGb: flags['disk-size-in-gb'],
      diskType: flags['disk-type'],
      instanceType: flags['instance-type'],
      networkId: flags['network-id'],
      projectionLevel: flags['projection-level'],
      provider: flags.provider,
      region: flags.region,
      serverVersion: flags['server-version'],
      sourceBackupId: flags['source-backup-id'],
      topology: flags.topology,
      ...optionalClusterFields(flags),
      sourceBackupProjectId: flags['source-project-id'],
    })
    const printer = await this.output(flags)
    const sourceBackupId = flags['source-backup-id']
    if (sourceBackupId) {
      // Refuse a disk smaller than the backup here (a dry run too) rather than after a round trip to
      // provisioning; when the backup cannot be read, the API decides.
      const api = await this.apiClient(flags)
      const read = await readBackup(() => api.getBackup(orgId, flags['source-project-id'] ?? projectId, sourceBackupId))
      if (read.backup) checkRestoreDiskSize(body.diskSizeGb, read.backup)
      else process.stderr.write(unreadBackupWarning(sourceBackupId, read.error))
    }
    if (flags['dry-run']) {
      printDryRun({method: 'POST', path: clustersPath(orgId, projectId), body}, printer.format)
      return
    }
    await createCluster(await this.apiClient(flags), printer, orgId, projectId, body, {wait: flags.wait, timing})
  }
}
