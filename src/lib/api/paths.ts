/**
 * The API's resource paths (reference §2.2), in one place: the client sends to them and `--dry-run`
 * shows them, so a preview names exactly the path a real run would use. Light on purpose (no
 * imports): dry runs load it without the client.
 */
const seg = encodeURIComponent
const mesdb = (orgId: string, projectId: string) => `/mesdb/v1/organizations/${seg(orgId)}/projects/${seg(projectId)}`
const orchestrate = (orgId: string, projectId: string) => `/orchestrate/v1/organizations/${seg(orgId)}/projects/${seg(projectId)}`

/** `…/backups`: create (POST) and list (GET); append `/<encoded id>` for one backup. */
export const backupsPath = (orgId: string, projectId: string) => `${mesdb(orgId, projectId)}/backups`
/** `…/clusters`: create (POST, a restore with a source backup) and list (GET). */
export const clustersPath = (orgId: string, projectId: string) => `${mesdb(orgId, projectId)}/clusters`
/** `…/jobs`: create (POST) and list (GET). */
export const jobsPath = (orgId: string, projectId: string) => `${orchestrate(orgId, projectId)}/jobs`
/** `…/history`: the job history (GET, optionally `?jobId=`). */
export const historyPath = (orgId: string, projectId: string) => `${orchestrate(orgId, projectId)}/history`
