import type {BackupManifest, ManifestFile} from './manifest.js'
import type {EngineLog, ProgressEvent} from './types.js'

export interface PreviousBackup {
  manifest: BackupManifest
  /** Absolute path of its data directory. */
  dataDir: string
  byPath: Map<string, ManifestFile>
}

/** Shared state of one backup run, passed to the index and log steps. */
export interface BackupContext {
  db: string
  index: string
  /** The node's db and index: never removed, whatever a path read from disk says. */
  protect: readonly string[]
  /** Absolute path of the staging directory (the new backup's data directory). */
  staging: string
  verify: boolean
  offline: boolean
  signal?: AbortSignal
  log: EngineLog
  previous?: PreviousBackup
  linkFrom?: PreviousBackup
  /** Manifest entries of the new backup, by relative path. */
  files: Map<string, ManifestFile>
  /** Staged ongoing chunks whose records were walked, with the offset walked to (VerifyOptions). */
  recordsChecked: Map<string, number>
  progress: ProgressTracker
  warnings: string[]
  concurrency: number
  sleep: (ms: number) => Promise<void>
}

export function indexPreviousBackup(manifest: BackupManifest, dataDir: string): PreviousBackup {
  return {manifest, dataDir, byPath: new Map(manifest.files.map((f) => [f.path, f]))}
}

export class ProgressTracker {
  bytesDone = 0
  bytesTotal = 0

  constructor(private readonly onProgress?: (p: ProgressEvent) => void) {}

  addTotal(bytes: number): void {
    this.bytesTotal += bytes
    this.emit()
  }

  advance(bytes: number, file?: string): void {
    this.bytesDone += bytes
    this.emit(file)
  }

  private emit(file?: string): void {
    this.onProgress?.({bytesDone: this.bytesDone, bytesTotal: Math.max(this.bytesTotal, this.bytesDone), file})
  }
}
