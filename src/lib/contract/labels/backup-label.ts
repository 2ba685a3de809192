import {parseLabelTemplate} from './parse.js'
import {LabelCluster, LabelContext, renderLabel} from './render.js'

export interface BackupLabelSources {
  clusterId: string
  /** The cluster being backed up (fetched only when the template uses `{cluster}` other than `{cluster:id}`). */
  cluster: () => Promise<LabelCluster>
  /** How many backups of that cluster exist already (fetched only for `{index}`). */
  existingBackups: () => Promise<number>
  now: () => Date
}

export interface RenderedBackupLabel {
  label: string
  /** False when the template had no tokens: the description is sent as typed, with no API call. */
  templated: boolean
}

/**
 * Renders a manual backup's description client-side, fetching only what the template uses:
 * nothing for a plain description (or `{cluster:id}`), the cluster for `{cluster}`, the backup count for `{index}`
 * (index = existing backups of the cluster + 1). Throws LabelTemplateError (exit 2) first, before
 * any API call, when the template is invalid.
 */
export async function renderBackupLabel(template: string, sources: BackupLabelSources): Promise<RenderedBackupLabel> {
  const parsed = parseLabelTemplate(template)
  const context: LabelContext = {date: sources.now()}
  const needsCluster = parsed.parts.some((p) => p.kind === 'token' && p.token === 'cluster' && p.format !== 'id')
  const [cluster, existing] = await Promise.all([
    needsCluster ? sources.cluster() : {id: sources.clusterId, description: '', provider: ''},
    parsed.uses.has('index') ? sources.existingBackups() : undefined,
  ])
  if (cluster) context.cluster = cluster
  if (existing !== undefined) context.index = existing + 1
  return {label: renderLabel(parsed, context), templated: parsed.uses.size > 0}
}
