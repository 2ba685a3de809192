import {createHash} from 'node:crypto'
import {PassThrough, type Transform} from 'node:stream'

import {EscError} from '../../core/errors.js'

/**
 * How a repository turns a file into a stored object and back: encoding (compression, encryption)
 * of the bytes, the name an object gets from the hash of its plaintext, and the sealing of the
 * manifest (a sealed manifest is authenticated: a tampered one fails to open).
 *
 * The repository hashes the plaintext itself (SHA-256, before encode and after decode), so a codec
 * need not check content; a codec that authenticates (AES-GCM) makes a decode stream error on a
 * tampered object, and its message says so.
 */
export interface ObjectCodec {
  /** Stable name recorded in the repository's configuration (`identity`, …). */
  readonly name: string
  /**
   * What the repository stores in its configuration so that the same codec can be opened again
   * (salts, algorithm, wrapped keys). Never a secret in the clear.
   */
  readonly params: Record<string, unknown>
  /** The object name for a file whose plaintext SHA-256 is `sha256` (hex). Must not leak it when encrypting. */
  objectName(sha256: string): string
  /**
   * Plaintext in, stored bytes out. A new stream per object. `objectName` (what `objectName()` gave)
   * is bound to the stored bytes, so an object stored under another object's name fails to decode.
   */
  encode(objectName: string): Transform
  /** Stored bytes in, plaintext out; errors when the object fails authentication or is not `objectName`'s. */
  decode(objectName: string): Transform
  /** A manifest's JSON bytes to the bytes stored, bound to its backup (and repository). */
  sealManifest(plain: Buffer, backupId: string): Promise<Buffer>
  /** The stored bytes back to the manifest's JSON; rejects when it was tampered with, is another backup's, or the key is wrong. */
  openManifest(sealed: Buffer, backupId: string): Promise<Buffer>
}

/**
 * Opens the codec a repository's configuration names (`undefined` for a new repository: the factory
 * decides, from its own options, which codec to create and with which params).
 */
export type CodecFactory = (stored: {name: string; params: Record<string, unknown>} | undefined) => Promise<ObjectCodec>

/** No encryption, no compression: objects are the files' bytes, named by their SHA-256. */
export const identityCodec: ObjectCodec = {
  name: 'identity',
  params: {},
  objectName: (sha256) => `${sha256.slice(0, 2)}/${sha256}`,
  encode: () => new PassThrough(),
  decode: () => new PassThrough(),
  sealManifest: async (plain) => plain,
  openManifest: async (sealed) => sealed,
}

export const identityFactory: CodecFactory = async (stored) => {
  if (stored && stored.name !== 'identity') {
    throw new EscError(`this repository uses the ${stored.name} codec (encrypted or compressed), which this run was not given`, {
      kind: 'invalid-input',
    })
  }
  return identityCodec
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex')
}
