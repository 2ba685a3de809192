import {CloudCommand} from '../../../lib/cli/base-cloud-command.js'
import {writePrettyJson} from '../../../lib/cli/profiles/profile-output.js'
import {defaultProfileName, loadSettings} from '../../../lib/client/config/settings.js'
import {ExitCode} from '../../../lib/cli/error-exit.js'

export default class ProfilesDefaultGet extends CloudCommand {
  static override description = 'Read the current default local profile name'
  static override examples = ['<%= config.bin %> profiles default get']

  async run(): Promise<void> {
    await this.parse(ProfilesDefaultGet)
    const name = defaultProfileName(await loadSettings())
    if (name === undefined) {
      // esc's exact text, on stdout, then exit(-1).
      process.stdout.write('No default profile set\n\nTo set a default profile use:\n\nesc profiles default set <profile_name>\n')
      this.exit(ExitCode.EscLegacy)
    }
    writePrettyJson(name)
  }
}
