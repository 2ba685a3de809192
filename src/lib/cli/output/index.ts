export {Printer, type PrinterOptions} from './printer.js'
export {OUTPUT_FORMATS, type OutputFormat, isOutputFormat, resolveFormat} from './format.js'
export {
  backupKind,
  backupIdKind,
  clusterKind,
  clusterIdKind,
  jobKind,
  jobIdKind,
  historyItemKind,
  type ResourceKind,
  type IdKind,
  type Column,
  type CellFormat,
} from './kinds.js'
