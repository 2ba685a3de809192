import {CloudCommand, idFlag, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {aclKind, aclViews} from '../../../lib/cli/output/infra.js'

export default class AclsGet extends CloudCommand {
  static override description = 'Reads an acl information'
  static override examples = ['<%= config.bin %> infra acls get --id c0acl1']

  static override flags = {...infraFlags('acl', 'one'), id: idFlag("An acl's id"), quiet: quietFlag}

  public async run(): Promise<void> {
    const {flags} = await this.parse(AclsGet)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.getAcl(orgId, projectId, flags.id)
    const acl = res.data.acl
    await (await this.output(flags)).wrapped(aclKind, [acl], aclViews.one(acl), res, 'one')
  }
}
