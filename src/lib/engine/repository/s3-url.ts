import {isIP} from 'node:net'

import {UsageError} from '../../core/errors.js'

export interface S3Location {
  bucket: string
  /** Without leading or trailing slash; '' for the bucket's root. */
  prefix: string
  /** `#backup-id` in the URL (restore), when given. */
  backupId?: string
}

export const isS3Url = (value: string): boolean => value.startsWith('s3://')

/** `s3://bucket/prefix[#backup-id]`; anything else is refused naming the input and the expected shape. */
export function parseS3Url(url: string): S3Location {
  const m = /^s3:\/\/([^/#]+)(?:\/([^#]*))?(?:#(.*))?$/.exec(url)
  const shape = 'expected s3://bucket/prefix (optionally #backup-id)'
  if (!m) throw new UsageError(`the repository URL ${url} is not an S3 URL: ${shape}`)
  const [, bucket, rawPrefix = '', backupId] = m
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UsageError(`the bucket name ${bucket} in ${url} is not valid: 3-63 lowercase letters, digits, dots and hyphens`)
  }
  const prefix = rawPrefix.replace(/^\/+|\/+$/g, '')
  if (prefix.split('/').some((p) => p === '..' || p === '.')) throw new UsageError(`the prefix in ${url} contains . or ..: ${shape}`)
  if (backupId !== undefined && !/^[0-9A-Za-z._-]+$/.test(backupId)) throw new UsageError(`the backup id in ${url} is not valid: ${shape}`)
  return {bucket, prefix, ...(backupId ? {backupId} : {})}
}

/** The endpoint every S3 tool reads from the environment (the service-specific one first), if any. */
export function endpointFromEnv(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined
}

/**
 * Path-style addressing (`host/bucket/key`) when the endpoint is an IP address (no DNS for a
 * virtual host `bucket.host`) or when asked to; virtual-hosted style otherwise, as AWS expects.
 */
export function wantsPathStyle(endpoint: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.ESC_S3_FORCE_PATH_STYLE === '1' || env.ESC_S3_FORCE_PATH_STYLE === 'true') return true
  if (!endpoint) return false
  try {
    const host = new URL(endpoint).hostname.replace(/^\[|\]$/g, '')
    return isIP(host) !== 0
  } catch {
    return false
  }
}
