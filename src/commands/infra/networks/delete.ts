import {CloudCommand, idFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {awaitNetworkGone} from '../../../lib/cli/infra/network-wait.js'
import {waitFlags, waitTiming} from '../../../lib/cli/wait/flags.js'

export default class NetworksDelete extends CloudCommand {
  static override description = `Delete a network

The cloud refuses to delete a network that clusters still use. --wait polls until the network is gone.`
  static override examples = ['<%= config.bin %> infra networks delete --id c0net1 --wait']

  static override flags = {...infraFlags('network', 'one'), id: idFlag("A network's id"), ...waitFlags('the network is deleted')}

  public async run(): Promise<void> {
    const {flags} = await this.parse(NetworksDelete)
    const timing = waitTiming(flags, this.clocks.wait, {wait: flags.wait})
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const api = await this.apiClient(flags)
    const res = await api.infra.deleteNetwork(orgId, projectId, flags.id)
    await (await this.output(flags)).done(res)
    if (flags.wait) await awaitNetworkGone(api, {orgId, projectId, id: flags.id}, timing)
  }
}
