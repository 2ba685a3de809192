/**
 * Resource ids of the Kurrent Cloud API (organizations, projects, clusters, backups, jobs, history
 * items): xid-style, 20 characters of lowercase base32hex, e.g. `c1ev3l5o0aeu6ojco7b0`.
 */
export const ID_PATTERN = '^[0-9a-v]{20}$'
