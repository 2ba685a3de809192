import {CloudCommand} from '../../lib/cli/base-cloud-command.js'
import {deleteProfileProperty} from '../../lib/client/config/profiles.js'
import {profileNameFlag, requiredPropertyFlag} from '../../lib/cli/profiles/profile-flags.js'

export default class ProfilesDelete extends CloudCommand {
  static override description = 'Delete a profile parameter'
  static override examples = ['<%= config.bin %> profiles delete -p default -n fmt']

  static override flags = {
    profile: profileNameFlag,
    name: requiredPropertyFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ProfilesDelete)
    await deleteProfileProperty(flags.profile, flags.name)
  }
}
