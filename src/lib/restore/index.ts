/** Restores (a new cluster from a backup) and the request previews of `--dry-run`. */
export {clusterRequest, parseBoolFlag, PROJECTION_LEVELS, TOPOLOGIES} from './cluster-request.js'
export type {ClusterRequestFields} from './cluster-request.js'
export {mesdbPath, orchestratePath, printDryRun, renderDryRun} from './dry-run.js'
export type {DryRun} from './dry-run.js'
export {checkRestoreDiskSize, planRestore} from './restore-plan.js'
export type {RestoreInputs, RestorePlan, RestorePlanInput} from './restore-plan.js'
