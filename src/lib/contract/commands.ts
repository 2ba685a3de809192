/**
 * The official esc's command lines that show more about a resource, spelled as the official esc
 * spells them. The local cloud's notifications end with one, so a reader can paste it; the
 * contract layer owns these public spellings, which is why the server may name them here and
 * nowhere else.
 */

/** The runs of a scheduled job, with the reason of each failure. */
export const jobHistoryCommand = (jobId: string): string => `esc orchestrate history list --job-id ${jobId}`

/** One backup, with its status and `details`. */
export const backupCommand = (backupId: string): string => `esc mesdb backups get --id ${backupId}`

/** One cluster, with its status and `details`. */
export const clusterCommand = (clusterId: string): string => `esc mesdb clusters get --id ${clusterId}`
