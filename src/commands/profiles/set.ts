import {Flags} from '@oclif/core'

import {CloudCommand} from '../../lib/cli/base-cloud-command.js'
import {setProfileProperty} from '../../lib/client/config/profiles.js'
import {profileNameFlag, requiredPropertyFlag} from '../../lib/cli/profiles/profile-flags.js'

export default class ProfilesSet extends CloudCommand {
  static override description = 'Set a profile parameter (the profile is created if missing)'
  static override examples = [
    '<%= config.bin %> profiles set -p default -n org-id -v c1ho0uto0aeqbmndmk10',
    '<%= config.bin %> profiles set -p local -n api-base-url -v http://127.0.0.1:2180',
  ]

  static override flags = {
    profile: profileNameFlag,
    name: requiredPropertyFlag,
    value: Flags.string({char: 'v', description: "Parameter's value", required: true}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ProfilesSet)
    await setProfileProperty(flags.profile, flags.name, flags.value)
  }
}
