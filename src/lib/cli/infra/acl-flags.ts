import {Flags} from '@oclif/core'

import {aclCidrBlock} from './cidr.js'

/**
 * `--cidr-blocks <cidr-blocks>...`: several values after one flag or the flag repeated, never split
 * on commas (the comma separates the address from its comment). Never required: absent is `[]`.
 */
export const cidrBlocksFlag = Flags.string({
  description: 'The CIDR blocks who will have access. Format: "<cidr>,<optional_comment>"',
  multiple: true,
})

export const cidrBlocks = (values: string[] | undefined) => (values ?? []).map((v) => aclCidrBlock(v))
