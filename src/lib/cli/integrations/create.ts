import {readFile} from 'node:fs/promises'

import {Flags} from '@oclif/core'

import type {CreateIntegrationData} from '../../contract/integrations.js'
import type {Prompter} from '../../client/auth/prompt.js'
import {EscError, UsageError} from '../../core/errors.js'
import type {ResourceKind} from '../output/kinds.js'
import {integrationViews} from '../output/integrations.js'
import {IntegrationsCommand, integrationFlags, quietFlag, type IntegrationCommandFlags} from './command.js'

/** The flags of `create` itself, which the official esc takes before the sink's word. */
export const createFlags = {
  ...integrationFlags,
  description: Flags.string({description: 'Description of the integration', required: true}),
  quiet: quietFlag,
}

const idKind: ResourceKind<{id: string}> = {
  noun: 'integration',
  plural: 'integrations',
  id: (c) => c.id,
  v1: (c) => c,
  debug: (c) => c.id,
  columns: [{header: 'Created integration', cell: (c) => c.id}],
  fields: [{header: 'Created integration', cell: (c) => c.id}],
}

export abstract class CreateIntegrationCommand extends IntegrationsCommand {
  protected async create(flags: IntegrationCommandFlags & {description: string}, data: CreateIntegrationData): Promise<void> {
    const {api, orgId, projectId} = await this.target(flags)
    const res = await api.createIntegration(orgId, projectId, {data, description: flags.description})
    const printer = await this.output(this.toCloudFlags(flags))
    await printer.wrapped(idKind, [res.data], integrationViews.created(res.data.id), res, 'one')
  }
}

/**
 * The webhook's signing secret: the file's content without its line end, else typed at a hidden
 * prompt when `prompter` is given (a terminal); never a flag value, which would stay in the shell
 * history and in `ps`. An empty answer at the prompt sends unsigned messages. With neither, there is
 * nobody to ask: a usage error names the flag.
 */
export async function readWebhookSecret(
  file: string | undefined,
  prompter: Prompter | undefined,
  why: string,
): Promise<string | undefined> {
  if (file !== undefined) {
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable'
      throw new EscError(`Cannot read the secret file ${file} (${code}): pass a readable file holding the webhook secret`, {
        kind: 'invalid-input',
      })
    }
    const secret = text.replace(/\r?\n$/, '')
    if (secret.trim() === '')
      throw new EscError(`The secret file ${file} is empty: write the webhook secret into it`, {kind: 'invalid-input'})
    return secret
  }
  if (!prompter) throw new UsageError(`integrations create … webhook needs its signing secret: pass --secret-file <file> (${why})`)
  const secret = await prompter.askSecret('Webhook signing secret (empty to send unsigned): ')
  return secret === '' ? undefined : secret
}
