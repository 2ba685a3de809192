import type {Readable} from 'node:stream'

import {EscError} from '../../core/errors.js'
import {type ObjectInfo, ObjectNotFoundError, type ObjectStore, type PutOptions} from './object-store.js'
import {type S3Location, endpointFromEnv, wantsPathStyle} from './s3-url.js'

/**
 * Part size of multipart uploads (S3's minimum, and the SDK's default), and how many parts of one
 * object go up at once. The SDK holds each part in memory several times over (the read buffers it
 * gathers, their concatenation, the part in flight) until they are collected, for each file uploaded
 * at once: with 3 files at once, 8 MiB parts peaked at 214-221 MiB, 5 MiB parts at 186 MiB
 * (`npm run bench:s3` prints the peak). Halving the parts in flight per object saved nothing.
 */
const PART_SIZE = 5 * 1024 * 1024
const PART_QUEUE = 2

type S3Module = typeof import('@aws-sdk/client-s3')

/**
 * An S3 bucket (AWS, MinIO, Ceph RGW, R2, …) as an object store. The SDK is loaded here, only by
 * the code paths that use an s3:// repository, so no other command pays for it at start-up.
 * Credentials, region and endpoint come from the SDK's default chain (environment, ~/.aws
 * profiles, …); they never appear in a message: errors name the bucket and key only.
 */
export async function openS3Store(location: S3Location, env: NodeJS.ProcessEnv = process.env): Promise<ObjectStore> {
  // The SDK warns on stderr about the Node versions it will stop supporting; that is not the
  // user's concern mid-backup, and it would pollute output that scripts read.
  env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const [s3, storage] = await Promise.all([import('@aws-sdk/client-s3'), import('@aws-sdk/lib-storage')])
  const endpoint = endpointFromEnv(env)
  const client = new s3.S3Client({
    // MinIO and most self-hosted stores ignore the region, and the SDK refuses to run without one.
    region: env.AWS_REGION || env.AWS_DEFAULT_REGION || (endpoint ? 'us-east-1' : undefined),
    forcePathStyle: wantsPathStyle(endpoint, env),
    maxAttempts: 5,
  })
  return new S3Store(client, s3, storage.Upload, location)
}

class S3Store implements ObjectStore {
  readonly description: string
  private readonly root: string

  constructor(
    private readonly client: InstanceType<S3Module['S3Client']>,
    private readonly s3: S3Module,
    private readonly Upload: typeof import('@aws-sdk/lib-storage').Upload,
    private readonly location: S3Location,
  ) {
    this.root = location.prefix ? `${location.prefix}/` : ''
    this.description = `s3://${location.bucket}/${location.prefix}`
  }

  private key(key: string): string {
    return this.root + key
  }

  async put(key: string, body: Readable | Buffer, opts: PutOptions = {}): Promise<void> {
    const upload = new this.Upload({
      client: this.client,
      params: {Bucket: this.location.bucket, Key: this.key(key), Body: body},
      partSize: PART_SIZE,
      queueSize: PART_QUEUE,
      // A multipart upload that fails is aborted, so that no part lingers (and costs) in the bucket.
      leavePartsOnError: false,
    })
    const abort = () => void upload.abort().catch(() => undefined)
    opts.signal?.addEventListener('abort', abort, {once: true})
    try {
      await upload.done()
    } catch (error) {
      throw this.wrap(error, `upload ${key}`)
    } finally {
      opts.signal?.removeEventListener('abort', abort)
    }
  }

  async get(key: string, opts: {signal?: AbortSignal} = {}): Promise<Readable> {
    try {
      const out = await this.client.send(new this.s3.GetObjectCommand({Bucket: this.location.bucket, Key: this.key(key)}), {
        abortSignal: opts.signal,
      })
      return out.Body as Readable
    } catch (error) {
      if (isNotFound(error)) throw new ObjectNotFoundError(key, this.description)
      throw this.wrap(error, `download ${key}`)
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    try {
      const out = await this.client.send(new this.s3.HeadObjectCommand({Bucket: this.location.bucket, Key: this.key(key)}))
      return {key, size: out.ContentLength ?? 0, modified: out.LastModified}
    } catch (error) {
      if (isNotFound(error)) return undefined
      throw this.wrap(error, `look up ${key}`)
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    let token: string | undefined
    do {
      let out
      try {
        out = await this.client.send(
          new this.s3.ListObjectsV2Command({Bucket: this.location.bucket, Prefix: this.key(prefix), ContinuationToken: token}),
        )
      } catch (error) {
        throw this.wrap(error, `list ${prefix || '/'}`)
      }
      for (const o of out.Contents ?? []) {
        if (o.Key) yield {key: o.Key.slice(this.root.length), size: o.Size ?? 0, modified: o.LastModified}
      }
      token = out.IsTruncated ? out.NextContinuationToken : undefined
    } while (token)
  }

  async delete(key: string): Promise<void> {
    try {
      await this.client.send(new this.s3.DeleteObjectCommand({Bucket: this.location.bucket, Key: this.key(key)}))
    } catch (error) {
      if (!isNotFound(error)) throw this.wrap(error, `delete ${key}`)
    }
  }

  async close(): Promise<void> {
    this.client.destroy()
  }

  /** One line naming the bucket, the operation and the store's answer; never the credentials. */
  private wrap(error: unknown, what: string): EscError {
    if (error instanceof EscError) return error
    const e = error as {name?: string; message?: string; $metadata?: {httpStatusCode?: number}}
    if (e.name === 'AbortError') return new EscError(`${what} in ${this.description} was interrupted`, {kind: 'interrupted', cause: error})
    const status = e.$metadata?.httpStatusCode
    const detail = `${e.name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${e.message ?? String(error)}`
    const kind =
      e.name === 'NoSuchBucket'
        ? 'not-found'
        : status === 401 || status === 403 || /credential/i.test(e.message ?? '')
          ? 'auth'
          : 'unavailable'
    const advice =
      kind === 'auth'
        ? '; set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) for this store'
        : kind === 'not-found'
          ? '; create the bucket first'
          : ''
    return new EscError(`could not ${what} in ${this.description}: ${detail}${advice}`, {kind, cause: error})
  }
}

/** The object is not there (a missing bucket is not a missing object: it is reported as such). */
function isNotFound(error: unknown): boolean {
  const e = error as {name?: string; $metadata?: {httpStatusCode?: number}}
  if (e?.name === 'NoSuchBucket') return false
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404
}
