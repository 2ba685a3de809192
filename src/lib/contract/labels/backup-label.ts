import {LabelTemplate} from './parse.js'
import {LabelCluster, LabelContext, renderLabel} from './render.js'

export interface BackupLabelSources {
  clusterId: string
  /** The cluster being backed up (fetched only when the template uses `{cluster}` other than `{cluster:id}`). */
  cluster: () => Promise<LabelCluster>
  /** How many backups of that cluster exist already (fetched only for `{index}`). */
  existingBackups: () => Promise<number>
  now: () => Date
}

export interface BackupLabelPreview {
  label: string
  /** Set when the template uses `{index}`: the backups counted to estimate it (the service assigns the real one). */
  existingBackups?: number
}

/**
 * Previews a manual backup's description as the service will render it, fetching only what the
 * template uses: nothing for `{datetime}` or `{cluster:id}`, the cluster for `{cluster}`, the backup
 * count for `{index}`. The index is an estimate (existing backups of the cluster + 1): the service
 * keeps its own counter, which deleted backups do not lower.
 */
export async function previewBackupLabel(parsed: LabelTemplate, sources: BackupLabelSources): Promise<BackupLabelPreview> {
  const context: LabelContext = {date: sources.now()}
  const needsCluster = parsed.parts.some((p) => p.kind === 'token' && p.token === 'cluster' && p.format !== 'id')
  const [cluster, existing] = await Promise.all([
    needsCluster ? sources.cluster() : {id: sources.clusterId, description: '', provider: ''},
    parsed.uses.has('index') ? sources.existingBackups() : undefined,
  ])
  context.cluster = cluster
  if (existing !== undefined) context.index = existing + 1
  return {label: renderLabel(parsed, context), existingBackups: existing}
}
