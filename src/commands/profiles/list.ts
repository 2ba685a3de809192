import {CloudCommand} from '../../lib/cli/base-cloud-command.js'
import {profileJson, writePrettyJson} from '../../lib/cli/profiles/profile-output.js'
import {listProfiles, loadSettings} from '../../lib/client/config/settings.js'

export default class ProfilesList extends CloudCommand {
  static override description = 'List all local profiles'
  static override examples = ['<%= config.bin %> profiles list']

  async run(): Promise<void> {
    await this.parse(ProfilesList)
    writePrettyJson(listProfiles(await loadSettings()).map((p) => profileJson(p)))
  }
}
