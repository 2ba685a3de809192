import {Flags} from '@oclif/core'

/**
 * The flags of `esc node …` that concern an encrypted or compressed repository. Kept apart from the
 * engine (commands load the engine lazily); the list of algorithms is the engine's COMPRESSIONS.
 */
export const passwordFileFlag = {
  'password-file': Flags.string({
    description:
      'File holding the password of an encrypted repository (first line). Otherwise ESC_BACKUP_PASSWORD, or a prompt on a terminal',
  }),
}

export const repositoryCodecFlags = {
  encrypt: Flags.boolean({
    description:
      'Encrypt a new S3 repository (AES-256-GCM, key derived from a password with scrypt). Losing the password loses the backups',
  }),
  compress: Flags.string({
    description:
      'Compression of the objects a backup uploads to an S3 repository [default: deflate for a new repository, else what it was created with]',
    options: ['none', 'gzip', 'deflate', 'brotli'],
  }),
  ...passwordFileFlag,
}
