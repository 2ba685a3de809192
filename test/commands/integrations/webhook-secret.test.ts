import {strict as assert} from 'node:assert'

import nock from 'nock'

import CreateWebhook from '../../../src/commands/integrations/create/webhook.js'
import type {Prompter} from '../../../src/lib/client/auth/prompt.js'
import {runCommand} from '../../support/run-cli.js'
import {API, capture, PROJECT, useCommandEnv} from '../mesdb/clusters/helpers.js'

const BASE = `/integrate/v1/organizations/o1/projects/${PROJECT}/integrations`
const ARGS = ['--description', 'Hook', '--organization-id', 'o1', '--project-id', PROJECT, '--url', 'https://hooks.example.com/esc']

/** A prompter that answers from a list and records how each question was asked. */
function fakePrompter(answers: string[]) {
  const asked: Array<{question: string; hidden: boolean}> = []
  const prompter: Prompter = {
    ask: async (question) => (asked.push({question, hidden: false}), answers.shift() ?? ''),
    askSecret: async (question) => (asked.push({question, hidden: true}), answers.shift() ?? ''),
  }
  return {prompter, asked}
}

/** The command as on a terminal: stdin is a TTY and the prompter is the test's. */
function onTerminal(prompter: Prompter) {
  return class extends CreateWebhook {
    protected override stdinIsTTY(): boolean {
      return true
    }

    protected override async prompter(): Promise<Prompter> {
      return prompter
    }
  }
}

/**
 * The webhook's signing secret never comes from argv: from --secret-file, or typed at a hidden
 * prompt on a terminal. Without a terminal (CI) there is nobody to ask: a usage error names the flag.
 */
describe('esc integrations create … webhook: the signing secret', () => {
  const {env, esc} = useCommandEnv()

  it('without --secret-file on a terminal, asks for the secret with hidden input and sends it', async () => {
    const c = capture({id: 'c0int4'})
    nock(API).post(BASE).reply(c.reply)
    const {prompter, asked} = fakePrompter(['typed-signing-secret'])
    const r = await runCommand(onTerminal(prompter), ARGS, {env: env()}, 'integrations:create:webhook')
    assert.equal(r.exitCode, 0, r.stderr)
    assert.deepEqual(asked, [{question: 'Webhook signing secret (empty to send unsigned): ', hidden: true}])
    assert.equal(
      c.bodies[0],
      '{"data":{"sink":"webhook","url":"https://hooks.example.com/esc","secret":"typed-signing-secret"},"description":"Hook"}',
    )
    assert.doesNotMatch(r.stdout + r.stderr, /typed-signing-secret/)
  })

  it('an empty answer at the prompt creates an unsigned webhook', async () => {
    const c = capture({id: 'c0int4'})
    nock(API).post(BASE).reply(c.reply)
    const r = await runCommand(onTerminal(fakePrompter(['']).prompter), ARGS, {env: env()}, 'integrations:create:webhook')
    assert.equal(r.exitCode, 0, r.stderr)
    assert.equal(c.bodies[0], '{"data":{"sink":"webhook","url":"https://hooks.example.com/esc"},"description":"Hook"}')
  })

  it('without --secret-file and without a terminal, one usage line naming --secret-file (exit 2), nothing sent', async () => {
    const r = await esc(['integrations', 'create', 'webhook', ...ARGS], {env: env()})
    assert.equal(r.exitCode, 2)
    assert.equal(
      r.stderr,
      'Error: integrations create … webhook needs its signing secret: pass --secret-file <file> (stdin is not a terminal to ask for it)\n',
    )
    assert.equal(r.stdout, '')
  })

  it('--noninteractive on a terminal is the same usage error: it never prompts', async () => {
    const {prompter, asked} = fakePrompter(['x'])
    const r = await runCommand(onTerminal(prompter), [...ARGS, '--noninteractive'], {env: env()}, 'integrations:create:webhook')
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^Error: integrations create … webhook needs its signing secret: pass --secret-file <file>/)
    assert.deepEqual(asked, [])
  })
})
