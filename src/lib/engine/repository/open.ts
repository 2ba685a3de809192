import type {CodecFactory} from './codec.js'
import {Repository} from './repository.js'
import {openS3Store} from './s3-store.js'
import {parseS3Url} from './s3-url.js'

export {isS3Url} from './s3-url.js'

/** The repository an `s3://bucket/prefix[#backup-id]` URL names, and the backup id it carries. */
export async function openRepository(
  url: string,
  opts: {create?: boolean; codecs?: CodecFactory} = {},
): Promise<{repo: Repository; backupId?: string}> {
  const location = parseS3Url(url)
  const store = await openS3Store(location)
  try {
    return {repo: await Repository.open(store, opts), backupId: location.backupId}
  } catch (error) {
    await store.close?.()
    throw error
  }
}
