import {hostname} from 'node:os'

import {redactUrlCredentials} from '../core/url-credentials.js'
import type {BackupContext} from './backup-context.js'
import type {IndexBackupResult} from './backup-index.js'
import type {LogBackupResult} from './backup-log.js'
import {type BackupManifest, MANIFEST_FORMAT, MANIFEST_FORMAT_VERSION, type ManifestFile, toolVersion} from './manifest.js'

export interface ManifestInput {
  id: string
  dataDir: string
  differential: boolean
  ctx: BackupContext
  files: ManifestFile[]
  index: IndexBackupResult
  log: LogBackupResult
  duckdb: boolean
  nodeUrl?: string
  node?: Record<string, unknown>
  started: Date
  finished: Date
  timings: {indexMs: number; logMs: number}
}

/** The manifest describing a run's staged files: what a restore trusts, written last. */
export function buildManifest(input: ManifestInput): BackupManifest {
  const {ctx, files, started, finished} = input
  const copied = files.filter((f) => f.origin === 'copied')
  const linked = files.filter((f) => f.origin === 'linked')
  const map = input.index.map
  return {
    format: MANIFEST_FORMAT,
    formatVersion: MANIFEST_FORMAT_VERSION,
    complete: true,
    id: input.id,
    kind: input.differential ? 'differential' : 'full',
    dataDir: input.dataDir,
    tool: {name: 'esc', version: toolVersion()},
    source: {
      db: ctx.db,
      index: ctx.index,
      hostname: hostname(),
      offline: ctx.offline,
      duckdb: input.duckdb,
      ...(input.nodeUrl ? {nodeUrl: redactUrlCredentials(input.nodeUrl), node: input.node} : {}),
    },
    chunkSize: input.log.chunkSize,
    checkpoints: input.log.checkpoints,
    lastChunk: input.log.lastChunk,
    index: map
      ? {
          prepareCheckpoint: map.prepareCheckpoint,
          commitCheckpoint: map.commitCheckpoint,
          tables: map.tables.length,
          attempts: input.index.attempts,
        }
      : null,
    verification: ctx.verify ? 'md5' : 'skipped',
    warnings: ctx.warnings,
    timings: {
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      ...input.timings,
    },
    stats: {
      files: files.length,
      bytes: files.reduce((s, f) => s + f.size, 0),
      filesCopied: copied.length,
      bytesCopied: copied.reduce((s, f) => s + (f.hashedBytes ?? f.size), 0),
      filesKept: files.filter((f) => f.origin === 'kept').length,
      filesLinked: linked.length,
      bytesLinked: linked.reduce((s, f) => s + f.size, 0),
    },
    files,
  }
}
