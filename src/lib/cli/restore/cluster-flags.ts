import {Flags} from '@oclif/core'

import {parseBoolFlag} from './cluster-request.js'

/**
 * The optional settings of a new cluster that `clusters create` and `backups restore` both take,
 * defined once with the names and help of the Rust esc (scripts written for it keep working).
 */
export const optionalClusterFlags = {
  'acl-id': Flags.string({description: 'The ID of an ACL if one is being used'}),
  'disk-iops': Flags.integer({description: 'Optional IOPS number for disk (only AWS)'}),
  'disk-throughput': Flags.integer({description: 'Throughput in Mb/s for disk (only AWS)'}),
  'public-access': Flags.string({description: 'If the cluster is accessible from the internet', options: ['true', 'false']}),
  protected: Flags.string({description: 'The protected flag prevents from accidental deletion', options: ['true', 'false']}),
}

/** The request fields for the flags above; unset flags stay undefined (omitted from the body). */
export function optionalClusterFields(flags: {
  'acl-id'?: string
  'disk-iops'?: number
  'disk-throughput'?: number
  'public-access'?: string
  protected?: string
}): {aclId?: string; diskIops?: number; diskThroughput?: number; publicAccess?: boolean; protected?: boolean} {
  return {
    aclId: flags['acl-id'],
    diskIops: flags['disk-iops'],
    diskThroughput: flags['disk-throughput'],
    publicAccess: parseBoolFlag(flags['public-access']),
    protected: parseBoolFlag(flags.protected),
  }
}
