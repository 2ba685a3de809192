import {CloudCommand} from '../../lib/cli/base-cloud-command.js'
import {profileJson, writePrettyJson} from '../../lib/cli/profiles/profile-output.js'
import {findProfileTable, loadSettings, toProfile} from '../../lib/client/config/settings.js'
import {profileNameFlag, optionalPropertyFlag} from '../../lib/cli/profiles/profile-flags.js'

export default class ProfilesGet extends CloudCommand {
  static override description = 'Read a profile parameter(s)'
  static override examples = ['<%= config.bin %> profiles get -p default', '<%= config.bin %> profiles get -p default -n org-id']

  static override flags = {
    profile: profileNameFlag,
    name: optionalPropertyFlag,
  }

  async run(): Promise<void> {
    const {flags} = await this.parse(ProfilesGet)
    const table = findProfileTable(await loadSettings(), flags.profile)
    // Like esc: an unknown profile prints nothing and succeeds.
    if (!table) return
    const profile = toProfile(table)
    switch (flags.name) {
      case undefined: {
        writePrettyJson(profileJson(profile))
        break
      }
      case 'org-id': {
        writePrettyJson(profile.orgId ?? '')
        break
      }
      case 'project-id': {
        writePrettyJson(profile.projectId ?? '')
        break
      }
      case 'api-base-url': {
        if (profile.apiBaseUrl !== undefined) writePrettyJson(profile.apiBaseUrl)
        break
      }
      case 'fmt': {
        if (profile.fmt !== undefined) writePrettyJson(profile.fmt)
        break
      }
    }
  }
}
