import {orgFlag, projectFlag} from '../base-cloud-command.js'

/**
 * `--org-id` and `--project-id` of an `esc infra` command, with the official help wording:
 * "The organization id the network will relate to" (create), "… relates to" (get, update, delete),
 * "… the networks relate to" (list).
 */
export function infraFlags(noun: 'network' | 'acl' | 'peering', use: 'create' | 'one' | 'list') {
  const subject = use === 'list' ? `the ${noun}s relate` : use === 'create' ? `the ${noun} will relate` : `the ${noun} relates`
  return {
    'org-id': orgFlag(`The organization id ${subject} to`),
    'project-id': projectFlag(`The project id ${subject} to`),
  }
}
