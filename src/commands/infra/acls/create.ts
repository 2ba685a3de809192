import {Flags} from '@oclif/core'

import {CloudCommand, quietFlag} from '../../../lib/cli/base-cloud-command.js'
import {cidrBlocks, cidrBlocksFlag} from '../../../lib/cli/infra/acl-flags.js'
import {infraFlags} from '../../../lib/cli/infra/command.js'
import {aclIdKind} from '../../../lib/cli/output/infra.js'

export default class AclsCreate extends CloudCommand {
  static override description = 'Create an acl'
  static override examples = [
    '<%= config.bin %> infra acls create --description office --cidr-blocks "10.0.0.0/8,Office VPN" "192.168.1.7"',
  ]

  static override flags = {
    ...infraFlags('acl', 'create'),
    'cidr-blocks': cidrBlocksFlag,
    description: Flags.string({description: 'Human-readable description of the acl', required: true}),
    quiet: quietFlag,
  }

  public async run(): Promise<void> {
    const {flags} = await this.parse(AclsCreate)
    const blocks = cidrBlocks(flags['cidr-blocks'])
    const {orgId, projectId} = this.requireOrgProject(await this.context(flags))
    const res = await (await this.apiClient(flags)).infra.createAcl(orgId, projectId, {cidrBlocks: blocks, description: flags.description})
    await (await this.output(flags)).created(aclIdKind, res)
  }
}
