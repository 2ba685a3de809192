import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {aclKind, aclViews} from '../../../lib/cli/output/infra.js'

export default class AclsList extends CloudCommand {
  static override description = 'List acls of an organization, given a project'
  static override examples = ['<%= config.bin %> infra acls list --project-id c10d0h2rh41lba1v92k0']

  static override flags = {...infraFlags('acl', 'list'), quiet: quietFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(AclsList)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.listAcls(orgId, projectId)
    const acls = res.data.acls
    await (await this.output(flags)).wrapped(aclKind, acls, aclViews.list(acls), res, 'list')
  }
}
