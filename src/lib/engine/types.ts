/** Option and result types of the programmatic API (see index.ts). */

export interface ProgressEvent {
  bytesDone: number
  bytesTotal: number
  /** The file being copied or checked, relative to its directory. */
  file?: string
}

export interface NodeGuardOptions {
  /** Base URL of the node's HTTP API, e.g. https://127.0.0.1:2113 */
  url: string
  username?: string
  password?: string
  /** PEM text of a CA to trust for the node's certificate. */
  ca?: string | Buffer
  /** Skip TLS certificate verification. */
  insecure?: boolean
  /** Carry on when the node lags the leader or is in an older epoch (warning instead of error). */
  allowLagging?: boolean
  /** Bytes the node's writer may trail the leader's (and its chaser its writer). Default 16 MiB. */
  maxLagBytes?: number
  /** Start the scavenge the guard stopped again once the backup is done. */
  restartScavenge?: boolean
  /** Poll interval for auto-scavenge status (default 1000 ms). */
  pollIntervalMs?: number
  /** Give up waiting for auto-scavenge to pause after this long (default 10 min). */
  pauseTimeoutMs?: number
  /** Per-request timeout (default 30 s; DELETE of a scavenge waits for it to stop: 10 min). */
  requestTimeoutMs?: number
  /** Injected for tests: how to wait between polls. */
  sleep?: (ms: number) => Promise<void>
}

export interface BackupOptions {
  db: string
  index?: string
  backupDir: string
  /** Start over: a fresh data directory with nothing kept from the previous backup. */
  full?: boolean
  /** Check every copied completed chunk against its footer MD5 (default true). */
  verify?: boolean
  /** The node is stopped: DuckDB files are copied instead of refusing. */
  offline?: boolean
  /** A previous complete backup directory to hard-link matching completed chunks from. */
  linkFrom?: string
  nodeGuard?: NodeGuardOptions
  onProgress?: (p: ProgressEvent) => void
  signal?: AbortSignal
  log?: EngineLog
  /** Parallel file copies (default 3). */
  concurrency?: number
  /** Injected for tests: how to wait while the indexmap is between delete and rename (20 ms steps). */
  sleep?: (ms: number) => Promise<void>
}

export interface RestoreOptions {
  backupDir: string
  /** One node's data directory (or give `nodes`). */
  db?: string
  index?: string
  /** Several nodes of a new cluster, each restored with the same data; replaces `db` and `index`. */
  nodes?: {db: string; index?: string}[]
  /** Move a non-empty target aside (never deleted) instead of refusing. */
  force?: boolean
  signal?: AbortSignal
  onProgress?: (p: ProgressEvent) => void
  log?: EngineLog
  concurrency?: number
  /**
   * `backupDir` is a private copy made for this restore alone, every file of which was checked
   * against the manifest's hashes as it was written (a download from a repository): its files are
   * moved into the first node instead of copied and hashed a second time, and it is consumed.
   */
  consumeBackupDir?: boolean
  /** Injected for tests: the bytes free on the filesystem holding an existing path (default: statfs). */
  freeSpace?: (path: string) => Promise<number>
}

export interface RestoreResult {
  /** The first (or only) node's directories. */
  db: string
  index: string
  /** Every node restored, in the order given. */
  nodes: {db: string; index: string}[]
  files: number
  bytes: number
  /** Where the previous contents were moved by --force. */
  movedAside: string[]
  /** Value written to truncate.chk (= the backup's chaser.chk). */
  truncateTo: number
  writer: number
  chaser: number
  /** writer − chaser exceeds the default MaxTruncation (256 MiB). */
  exceedsMaxTruncation: boolean
  /** What the operator should expect on the node's next starts. */
  notes: string[]
  durationMs: number
}

export interface VerifyProblem {
  file: string
  reason: string
}

/** The checkpoint values a verification read, by name without `.chk`. */
export interface CheckpointValues {
  writer?: number
  chaser?: number
  epoch?: number
  proposal?: number
  truncate?: number
  tag?: number
}

export interface VerifyReport {
  ok: boolean
  kind: 'backup' | 'data-directory'
  dir: string
  problems: VerifyProblem[]
  warnings: VerifyProblem[]
  checked: {chunks: number; completedChunks: number; ptables: number; checkpoints: number; bytesHashed: number}
  checkpoints: CheckpointValues
  chunkSize?: number
}

export interface VerifyOptions {
  /** Index directory of a data directory (default `<dir>/index`). Ignored for backups. */
  index?: string
  /**
   * Hash file contents (default true). False checks structure only (sizes, names, headers,
   * footers, checkpoints, continuity, record framing of the ongoing chunk, the index's layout):
   * the check a new backup passes before it replaces the previous one, whose contents were hashed
   * while they were copied.
   */
  hash?: boolean
  /**
   * Ongoing chunks whose records were already walked, by name, with the raw offset walked to (a
   * backup walks its copy while the other chunks copy): not walked again when that is the end.
   */
  recordsChecked?: ReadonlyMap<string, number>
  signal?: AbortSignal
  onProgress?: (p: ProgressEvent) => void
}

export interface GenerateOptions {
  /** Chunk files to write: chunks − 1 completed ones and one ongoing. */
  chunks: number
  chunkSize: number
  /** Events per completed chunk (their size is derived from it); default chunkSize / 1 KiB. */
  eventsPerChunk?: number
  withIndex?: boolean
  /** Seed for stream names and ids, for reproducible output. */
  seed?: number
}

export interface GenerateResult {
  dir: string
  index: string
  chunkSize: number
  chunks: number
  events: number
  writer: number
  bytes: number
  ptables: string[]
}

/**
 * How much a line of the engine's log matters to whoever runs it: `notice` is a change the engine
 * made to something it does not own (it stopped or restarted a node's scavenge), `warning` a risk
 * or a step left undone; both are for the user whatever the output is. `info` (the default) is detail.
 */
export type LogLevel = 'info' | 'notice' | 'warning'
export type EngineLog = (line: string, level?: LogLevel) => void
