import {EscError} from '../../core/errors.js'

/**
 * Prompts go to stderr (esc prints them on stdout), so `$(esc access tokens create)` captures
 * only the refresh token. On a terminal the password is read in raw mode without echo; from a
 * pipe, one line is read as is.
 */
export interface Prompter {
  ask(question: string): Promise<string>
  askSecret(question: string): Promise<string>
}

function readLineFromStream(input: NodeJS.ReadStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let buffered = ''
    const onData = (chunk: Buffer | string) => {
      buffered += chunk.toString()
      const nl = buffered.indexOf('\n')
      if (nl !== -1) finish(buffered.slice(0, nl).replace(/\r$/, ''))
    }
    const onEnd = () => (buffered === '' ? fail() : finish(buffered))
    const fail = () => {
      cleanup()
      reject(new EscError('no input: stdin closed before an answer was given', {kind: 'auth'}))
    }
    const finish = (line: string) => {
      cleanup()
      resolve(line)
    }
    const cleanup = () => {
      input.off('data', onData)
      input.off('end', onEnd)
      input.pause()
    }
    input.on('data', onData)
    input.on('end', onEnd)
    input.resume()
  })
}

function readSecretFromTty(input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let secret = ''
    const wasRaw = input.isRaw
    input.setRawMode(true)
    const cleanup = () => {
      input.setRawMode(wasRaw)
      input.off('data', onData)
      input.pause()
      output.write('\n')
    }
    const onData = (chunk: Buffer | string) => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') {
          cleanup()
          resolve(secret)
          return
        }
        if (ch === '\u0003') {
          cleanup()
          reject(new EscError('interrupted', {kind: 'interrupted'}))
          return
        }
        if (ch === '\u007f' || ch === '\b') secret = secret.slice(0, -1)
        else secret += ch
      }
    }
    input.on('data', onData)
    input.resume()
  })
}

export function terminalPrompter(input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Prompter {
  return {
    async ask(question) {
      output.write(question)
      return (await readLineFromStream(input)).trim()
    },
    async askSecret(question) {
      output.write(question)
      if (input.isTTY && typeof input.setRawMode === 'function') return readSecretFromTty(input, output)
      return readLineFromStream(input)
    },
  }
}

/** esc validates `--email`; this is a plain shape check (something@host.tld). */
export function isValidEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
}
