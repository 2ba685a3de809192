import {createCipheriv, createDecipheriv, randomBytes} from 'node:crypto'

import {EscError} from '../../core/errors.js'
import type {UnlockedKey} from './crypto-keys.js'

/**
 * A manifest, sealed whole with AES-256-GCM (manifests are small). Layout:
 *
 *   "ESCM" ‖ version (1) ‖ nonce (12) ‖ JSON header length (2) ‖ JSON header ‖ ciphertext ‖ tag (16)
 *
 * The clear JSON header names the repository and the backup; it is the additional data, so it is
 * authenticated with the contents. A manifest copied from another repository, or under another
 * backup's name, is refused, and says which, before anything is decrypted.
 */

const MAGIC = Buffer.from('ESCM')
const VERSION = 1
const NONCE = 12
const TAG = 16

export interface ManifestBinding {
  repositoryId: string
  backupId: string
}

export function sealManifest(key: UnlockedKey, manifest: Buffer, binding: ManifestBinding): Buffer {
  const bound = Buffer.from(JSON.stringify({repositoryId: binding.repositoryId, backupId: binding.backupId}))
  const nonce = randomBytes(NONCE)
  const length = Buffer.alloc(2)
  length.writeUInt16BE(bound.length)
  const head = Buffer.concat([MAGIC, Buffer.from([VERSION]), nonce, length, bound])
  const cipher = createCipheriv('aes-256-gcm', key.manifestKey, nonce).setAAD(head)
  return Buffer.concat([head, cipher.update(manifest), cipher.final(), cipher.getAuthTag()])
}

export function openManifest(key: UnlockedKey, sealed: Buffer, expected: ManifestBinding): Buffer {
  const label = `the manifest of backup ${expected.backupId}`
  const refuse = (what: string) => new EscError(`${label} ${what}`, {kind: 'unsound-backup'})
  const fixed = MAGIC.length + 1 + NONCE + 2
  if (sealed.length < fixed + TAG || !sealed.subarray(0, MAGIC.length).equals(MAGIC) || sealed[MAGIC.length] !== VERSION)
    throw refuse('is damaged or altered (not a sealed esc manifest)')
  const boundLength = sealed.readUInt16BE(fixed - 2)
  if (sealed.length < fixed + boundLength + TAG) throw refuse('is damaged or altered (truncated)')
  const head = sealed.subarray(0, fixed + boundLength)
  let bound: Partial<ManifestBinding>
  try {
    bound = JSON.parse(head.subarray(fixed).toString()) as Partial<ManifestBinding>
  } catch {
    throw refuse('is damaged or altered (unreadable header)')
  }
  if (bound.repositoryId !== expected.repositoryId) throw refuse(`belongs to another repository (${String(bound.repositoryId)})`)
  if (bound.backupId !== expected.backupId) throw refuse(`is the manifest of backup ${String(bound.backupId)} (manifests swapped)`)
  const decipher = createDecipheriv('aes-256-gcm', key.manifestKey, head.subarray(MAGIC.length + 1, MAGIC.length + 1 + NONCE))
  decipher.setAAD(head).setAuthTag(sealed.subarray(sealed.length - TAG))
  try {
    return Buffer.concat([decipher.update(sealed.subarray(head.length, sealed.length - TAG)), decipher.final()])
  } catch {
    throw refuse('is damaged or altered (it fails authentication)')
  }
}
