import {createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, scrypt} from 'node:crypto'

import {EscError} from '../../core/errors.js'
import {FormatError} from '../format-error.js'

/**
 * The key of an encrypted repository. The data key is random (32 bytes) and never stored in the
 * clear: it is wrapped with AES-256-GCM under a key derived from the password with scrypt. So the
 * password can be slow to test (scrypt's memory cost) while objects use a full-strength random
 * key, and changing the password would only rewrite this small file.
 */
export interface RepositoryKeyFile {
  format: 'esc-repository-key'
  version: 1
  kdf: {name: 'scrypt'; N: number; r: number; p: number; salt: string}
  cipher: 'aes-256-gcm'
  /** base64 of nonce (12) ‖ wrapped data key (32) ‖ GCM tag (16). */
  wrappedKey: string
}

export interface ScryptParams {
  N: number
  r: number
  p: number
}

/**
 * 64 MiB and about a quarter of a second per password check on a laptop: costly for a guesser,
 * within the engine's flat memory budget, and paid once per command.
 */
export const DEFAULT_SCRYPT: ScryptParams = {N: 2 ** 16, r: 8, p: 1}

/** Upper bounds on what a key file may ask for, so a planted file cannot exhaust memory or time. */
const MAX_N = 2 ** 20
const MAX_R = 32
const MAX_P = 16

const NONCE = 12
const TAG = 16
const KEY = 32

/** The keys an unlocked repository works with, each derived from the data key for one purpose. */
export interface UnlockedKey {
  /** Encrypts object contents (streamed in frames). */
  readonly objectKey: Buffer
  /** Encrypts manifests. */
  readonly manifestKey: Buffer
  /** The object name of a content hash: HMAC-SHA256 under a key of its own, so names leak no hash. */
  objectName(contentHash: string): string
}

function wrapAad(repositoryId: string): Buffer {
  return Buffer.from(`esc-repository-key-v1\0${repositoryId}`)
}

function deriveKek(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  // scrypt needs 128·N·r bytes; Node's default cap (32 MiB) is below the default parameters.
  const maxmem = 128 * params.N * params.r + 16 * 1024 * 1024
  return new Promise((resolve, reject) =>
    scrypt(password, salt, KEY, {...params, maxmem}, (error, key) => (error ? reject(error) : resolve(key))),
  )
}

function subkey(dataKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', dataKey, Buffer.alloc(0), `esc ${purpose} v1`, KEY))
}

function unlocked(dataKey: Buffer): UnlockedKey {
  const nameKey = subkey(dataKey, 'object names')
  return {
    objectKey: subkey(dataKey, 'object data'),
    manifestKey: subkey(dataKey, 'manifest'),
    objectName: (contentHash) => createHmac('sha256', nameKey).update(contentHash).digest('hex'),
  }
}

/** A new random data key for repository `repositoryId`, wrapped under `password`. */
export async function createRepositoryKey(
  password: string,
  repositoryId: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<RepositoryKeyFile> {
  return (await createUnlockedRepositoryKey(password, repositoryId, params)).file
}

/** The same, with the keys it unlocks: creating a repository costs one scrypt, not two. */
export async function createUnlockedRepositoryKey(
  password: string,
  repositoryId: string,
  params: ScryptParams = DEFAULT_SCRYPT,
): Promise<{file: RepositoryKeyFile; key: UnlockedKey}> {
  const salt = randomBytes(32)
  const kek = await deriveKek(password, salt, params)
  const nonce = randomBytes(NONCE)
  const dataKey = randomBytes(KEY)
  const cipher = createCipheriv('aes-256-gcm', kek, nonce).setAAD(wrapAad(repositoryId))
  const wrapped = Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()])
  const file: RepositoryKeyFile = {
    format: 'esc-repository-key',
    version: 1,
    kdf: {name: 'scrypt', ...params, salt: salt.toString('base64')},
    cipher: 'aes-256-gcm',
    wrappedKey: wrapped.toString('base64'),
  }
  return {file, key: unlocked(dataKey)}
}

function checkKeyFile(file: RepositoryKeyFile, where: string): {salt: Buffer; wrapped: Buffer; params: ScryptParams} {
  const bad = (reason: string) => new FormatError(where, reason, `${where}: ${reason}`)
  if (file?.format !== 'esc-repository-key' || file.version !== 1 || file.cipher !== 'aes-256-gcm')
    throw bad('not an esc repository key (version 1, aes-256-gcm)')
  const {name, N, r, p, salt} = file.kdf ?? {}
  const power = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0
  if (name !== 'scrypt' || !power || N > MAX_N || !Number.isInteger(r) || r < 1 || r > MAX_R || !Number.isInteger(p) || p < 1 || p > MAX_P)
    throw bad(`scrypt parameters out of range (N a power of two up to 2^20, r up to ${MAX_R}, p up to ${MAX_P})`)
  const wrapped = Buffer.from(file.wrappedKey ?? '', 'base64')
  if (wrapped.length !== NONCE + KEY + TAG) throw bad('the wrapped key has the wrong length')
  return {salt: Buffer.from(salt, 'base64'), wrapped, params: {N, r, p}}
}

/**
 * The repository's keys, or an 'auth' error in one line when the password is wrong. (GCM cannot
 * tell a wrong password from an altered key file; the password is by far the likelier.)
 */
export async function openRepositoryKey(
  file: RepositoryKeyFile,
  password: string,
  repositoryId: string,
  where = 'the repository key',
): Promise<UnlockedKey> {
  const {salt, wrapped, params} = checkKeyFile(file, where)
  const kek = await deriveKek(password, salt, params)
  const decipher = createDecipheriv('aes-256-gcm', kek, wrapped.subarray(0, NONCE)).setAAD(wrapAad(repositoryId))
  decipher.setAuthTag(wrapped.subarray(NONCE + KEY))
  let dataKey: Buffer
  try {
    dataKey = Buffer.concat([decipher.update(wrapped.subarray(NONCE, NONCE + KEY)), decipher.final()])
  } catch {
    throw new EscError(`the password is wrong for the encrypted repository (${where} does not open with it)`, {kind: 'auth'})
  }
  return unlocked(dataKey)
}
