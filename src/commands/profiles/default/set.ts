import {Flags} from '@oclif/core'

import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'
import {setDefaultProfile} from '../../../lib/client/config/profiles.js'

export default class ProfilesDefaultSet extends CloudCommand {
  static override description = 'Set default local profile'
  static override examples = ['<%= config.bin %> profiles default set -v prod']

  static override flags = {
    value: Flags.string({char: 'v', description: "Profile's name", required: true}),
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ProfilesDefaultSet)
    await setDefaultProfile(flags.value)
  }
}
