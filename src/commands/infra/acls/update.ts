import {Flags} from '@oclif/core'

import {CloudCommand, idFlag} from '../../../lib/cli/base-cloud-command.js'
import {cidrBlocks, cidrBlocksFlag} from '../../../lib/cli/infra/acl-flags.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'

export default class AclsUpdate extends CloudCommand {
  static override description = `Updates an acl

--cidr-blocks replaces the whole list: without it, the ACL is left with no CIDR blocks (as the official esc does).`
  static override examples = ['<%= config.bin %> infra acls update --id c0acl1 --cidr-blocks "10.0.0.0/8,Office VPN" --description office']

  static override flags = {
    ...infraFlags('acl', 'one'),
    id: idFlag("An acl's id"),
    'cidr-blocks': cidrBlocksFlag,
    description: Flags.string({description: "A human-readable acl's description"}),
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(AclsUpdate)
    const blocks = cidrBlocks(flags['cidr-blocks'])
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const body = {cidrBlocks: blocks, ...(flags.description === undefined ? {} : {description: flags.description})}
    const res = await (await this.apiClient(flags)).infra.updateAcl(orgId, projectId, flags.id, body)
    await (await this.output(flags)).done(res)
  }
}
