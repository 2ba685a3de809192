import {parseLabelTemplate, renderLabel} from '../src/lib/contract/labels/index.js'
import type {Cluster} from './api.js'

/**
 * The label a backup would get, rendered by the CLI's own module. `{index}` is an estimate (the
 * cluster's backups + 1): the service keeps its own counter.
 */
export function previewLabel(template: string, cluster: Cluster, existingBackups: number, now: Date): {label: string} | {error: string} {
  try {
    const parsed = parseLabelTemplate(template)
    return {
      label: renderLabel(parsed, {
        date: now,
        index: existingBackups + 1,
        cluster: {id: cluster.id, description: cluster.description, provider: cluster.provider},
      }),
    }
  } catch (e) {
    return {error: (e as Error).message}
  }
}
