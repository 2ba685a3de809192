/**
 * Programmatic API of the KurrentDB backup engine. Free of oclif: the `esc node …` commands and the
 * local cloud call these directly.
 */
export {backupNode} from './backup.js'
export {restoreBackup} from './restore.js'
export {verifyDirectory} from './verify.js'
export {generateDataDir} from './generate.js'
export {WriterSimulator, type WriterSimulatorOptions} from './writer-simulator.js'
export {readManifest, tryReadManifest, backupSizeBytes, MANIFEST_NAME, type BackupManifest, type ManifestFile} from './manifest.js'
export {AbortError, DiskFullError, FormatError, UnsoundBackupError} from './format-error.js'
export type {
  BackupOptions,
  GenerateOptions,
  EngineLog,
  GenerateResult,
  LogLevel,
  NodeGuardOptions,
  ProgressEvent,
  RestoreOptions,
  RestoreResult,
  VerifyOptions,
  VerifyProblem,
  VerifyReport,
} from './types.js'
