import {randomBytes} from 'node:crypto'

import {EscError} from '../../core/errors.js'
import {type CodecFactory, identityCodec, type ObjectCodec} from './codec.js'
import {type Compression, COMPRESSIONS, DEFAULT_COMPRESSION} from './compress.js'
import {createUnlockedRepositoryKey, openRepositoryKey, type RepositoryKeyFile, type ScryptParams, type UnlockedKey} from './crypto-keys.js'
import {openManifest, sealManifest} from './crypto-manifest.js'
import {decodeObject, encodeObject} from './object-frames.js'

/** The codec of repositories whose objects are framed: compressed, encrypted, or both. */
export const ESC_CODEC = 'esc-frames'

interface FramesParams {
  /** Random, made when the repository is: binds its manifests to it. */
  repositoryId: string
  /** The compression of objects this repository's backups write (each object records its own). */
  compression: Compression
  /** Present when the repository is encrypted: the wrapped data key, salt and scrypt parameters. */
  key?: RepositoryKeyFile
}

export interface CodecChoice {
  /** Encrypt a new repository (an existing one stays as it was created). */
  encrypt?: boolean
  /** Compression of new objects; undefined: what the repository was created with, or the default. */
  compression?: Compression
  /** The password, asked only when the repository is encrypted; `creating` when it is being made. */
  password?: (creating: boolean) => Promise<string>
  scrypt?: ScryptParams
}

const hashName = (sha256: string) => `${sha256.slice(0, 2)}/${sha256}`

function refuse(message: string): EscError {
  return new EscError(message, {kind: 'invalid-input'})
}

function readParams(params: Record<string, unknown>): FramesParams {
  const {repositoryId, compression, key} = params as Partial<FramesParams>
  if (
    typeof repositoryId !== 'string' ||
    !COMPRESSIONS.includes(compression as Compression) ||
    (key !== undefined && typeof key !== 'object')
  )
    throw new EscError(`the repository's codec parameters are not readable (${ESC_CODEC})`, {kind: 'damaged-file'})
  return {repositoryId, compression: compression as Compression, key}
}

/**
 * Opens the codec a repository was created with, or makes one for a new repository from the run's
 * choice. Encryption is decided once, when the repository is made: every object of a repository is
 * encrypted or none is, so a later run can neither add it nor drop it.
 */
export function escCodecFactory(choice: CodecChoice): CodecFactory {
  return async (stored) => {
    if (stored?.name === 'identity' || (!stored && !choice.encrypt && (choice.compression ?? DEFAULT_COMPRESSION) === 'none')) {
      if (choice.encrypt) throw refuse('this repository was created without encryption; encryption is chosen when a repository is created')
      if (choice.compression && choice.compression !== 'none')
        throw refuse('this repository was created without compression; compression is chosen when a repository is created')
      return identityCodec
    }
    if (stored && stored.name !== ESC_CODEC) throw refuse(`this repository uses the ${stored.name} codec, which this esc does not know`)
    const params: FramesParams = stored
      ? readParams(stored.params)
      : {repositoryId: randomBytes(16).toString('hex'), compression: choice.compression ?? DEFAULT_COMPRESSION}
    let key: UnlockedKey | undefined
    if (!stored && choice.encrypt) {
      const made = await createUnlockedRepositoryKey(await askPassword(choice, true), params.repositoryId, choice.scrypt)
      params.key = made.file
      key = made.key
    } else if (choice.encrypt && !params.key) {
      throw refuse('this repository was created without encryption; encryption is chosen when a repository is created')
    } else if (params.key) {
      key = await openRepositoryKey(params.key, await askPassword(choice, false), params.repositoryId)
    }
    const compression = choice.compression ?? params.compression
    const codec: ObjectCodec = {
      name: ESC_CODEC,
      params: {...params},
      objectName: (sha256) => hashName(key ? key.objectName(sha256) : sha256),
      encode: (objectName) => encodeObject(objectName, {key, compression}),
      decode: (objectName) => decodeObject(objectName, {key}),
      // Manifests are small; unencrypted ones stay readable JSON.
      sealManifest: async (plain, backupId) => (key ? sealManifest(key, plain, {repositoryId: params.repositoryId, backupId}) : plain),
      openManifest: async (sealed, backupId) => (key ? openManifest(key, sealed, {repositoryId: params.repositoryId, backupId}) : sealed),
    }
    return codec
  }
}

const passwords = new WeakMap<CodecChoice, Promise<string>>()

/** The password, asked at most once per run (a run may open the repository more than once). */
function askPassword(choice: CodecChoice, creating: boolean): Promise<string> {
  if (!choice.password)
    return Promise.reject(
      new EscError('this repository is encrypted, and no password was given', {kind: 'invalid-input', hint: {advice: 'backup-password'}}),
    )
  let asked = passwords.get(choice)
  if (!asked) passwords.set(choice, (asked = choice.password(creating)))
  return asked
}
