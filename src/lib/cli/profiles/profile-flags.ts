import {Flags} from '@oclif/core'

import {PROFILE_PROPERTIES} from '../../client/config/profiles.js'

/**
 * esc's `-p/--profile`: here it names the profile being edited (esc has no global profile
 * selector, so the name is free), replacing the global `--profile` for these commands.
 */
export const profileNameFlag = Flags.string({char: 'p', description: "Profile's name", required: true})

export const requiredPropertyFlag = Flags.option({
  char: 'n',
  description: 'Name of the parameter',
  options: PROFILE_PROPERTIES,
  required: true,
})()

export const optionalPropertyFlag = Flags.option({
  char: 'n',
  description: "Name of the parameter. If not mentioned, list all the profile's parameters",
  options: PROFILE_PROPERTIES,
})()
