import {strict as assert} from 'node:assert'
import {PassThrough} from 'node:stream'

import {exitCodeOf} from '../../../../src/lib/cli/error-exit.js'
import {terminalPrompter} from '../../../../src/lib/client/auth/prompt.js'

/** A pipe as stdin: everything arrives at once, as `printf 'a\nb\n' | esc …` sends it. */
function pipe(text: string | undefined): NodeJS.ReadStream {
  const input = new PassThrough()
  if (text !== undefined) input.end(text)
  return input as unknown as NodeJS.ReadStream
}

function sink(): NodeJS.WriteStream & {text: () => string} {
  const out = new PassThrough()
  let text = ''
  out.on('data', (c) => (text += c))
  return Object.assign(out as unknown as NodeJS.WriteStream, {text: () => text})
}

describe('terminalPrompter from a pipe', () => {
  it('answers every prompt from one buffered read, line by line', async () => {
    const out = sink()
    const prompter = terminalPrompter(pipe('admin@esc.local\nPASS word\n'), out)
    assert.equal(await prompter.ask('Email: '), 'admin@esc.local')
    assert.equal(await prompter.askSecret('Password: '), 'PASS word')
  })

  it('takes a last line without a newline, and CRLF line ends', async () => {
    const prompter = terminalPrompter(pipe('a@b.io\r\nsecret'), sink())
    assert.equal(await prompter.ask('Email: '), 'a@b.io')
    assert.equal(await prompter.askSecret('Password: '), 'secret')
  })

  it('a closed stdin is one error on its own line (exit 3), not glued to the prompt', async () => {
    const out = sink()
    const prompter = terminalPrompter(pipe('only@one.line\n'), out)
    await prompter.ask('Email: ')
    await assert.rejects(
      prompter.askSecret('Password: '),
      (e: Error) => exitCodeOf(e) === 3 && /stdin closed before an answer was given to "Password"/.test(e.message),
    )
    assert.equal(out.text(), 'Email: Password: \n')
  })

  it('Ctrl-C at a prompt: exit 130, one line, and the prompt ends its line', async () => {
    const out = sink()
    const input = new PassThrough() as unknown as NodeJS.ReadStream
    const answer = terminalPrompter(input, out).ask('Email: ')
    setImmediate(() => process.emit('SIGINT'))
    await assert.rejects(answer, (e: Error) => exitCodeOf(e) === 130 && e.message === 'interrupted at the prompt')
    assert.equal(out.text(), 'Email: \n')
    assert.equal(process.listenerCount('SIGINT'), 0)
  })
})
