import {CloudCommand, idFlag} from '../../../lib/cli/base-cloud-command.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'

export default class AclsDelete extends CloudCommand {
  static override description = `Deletes an acl

The cloud refuses to delete an ACL that clusters still use.`
  static override examples = ['<%= config.bin %> infra acls delete --id c0acl1']

  static override flags = {...infraFlags('acl', 'one'), id: idFlag("An acl's id")}

  public async run(): Promise<void> {
    const {flags} = await this.parse(AclsDelete)
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.deleteAcl(orgId, projectId, flags.id)
    await (await this.output(flags)).done(res)
  }
}
