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

/**
 * One reader per input stream for every prompt of a run: a pipe delivers all its lines in one chunk,
 * and a reader per prompt would drop the lines after the first with the chunk it consumed.
 */
class LineReader {
  private buffered = ''
  private ended = false
  private waiting?: {resolve: (line: string | undefined) => void}

  constructor(private readonly input: NodeJS.ReadStream) {
    input.on('data', (chunk: Buffer | string) => {
      this.buffered += chunk.toString()
      this.deliver()
    })
    input.on('end', () => {
      this.ended = true
      this.deliver()
    })
  }

  /** The next line without its line end, or undefined once the input is closed and drained. */
  next(): Promise<string | undefined> {
    return new Promise((resolve) => {
      this.waiting = {resolve}
      this.deliver()
      if (this.waiting) this.input.resume()
    })
  }

  private deliver() {
    if (!this.waiting) return
    const nl = this.buffered.indexOf('\n')
    let line: string | undefined
    if (nl !== -1) {
      line = this.buffered.slice(0, nl)
      this.buffered = this.buffered.slice(nl + 1)
    } else if (this.ended) {
      line = this.buffered === '' ? undefined : this.buffered
      this.buffered = ''
    } else return
    const {resolve} = this.waiting
    this.waiting = undefined
    this.input.pause()
    resolve(line?.replace(/\r$/, ''))
  }
}

const readers = new WeakMap<NodeJS.ReadStream, LineReader>()

async function readLineFromStream(input: NodeJS.ReadStream, output: NodeJS.WriteStream, question: string): Promise<string> {
  let reader = readers.get(input)
  if (!reader) readers.set(input, (reader = new LineReader(input)))
  // Ctrl-C at a prompt ends the run with exit 130 and one line, not a prompt left hanging.
  let onSigint = () => {}
  const interrupted = new Promise<never>((_, reject) => {
    onSigint = () => {
      output.write('\n')
      reject(new EscError('interrupted at the prompt', {kind: 'interrupted'}))
    }
  })
  process.once('SIGINT', onSigint)
  let line: string | undefined
  try {
    line = await Promise.race([reader.next(), interrupted])
  } finally {
    process.off('SIGINT', onSigint)
  }
  if (line !== undefined) return line
  // The prompt has no line end: the error that follows gets a line of its own.
  output.write('\n')
  const name = question.replace(/[:?]\s*$/, '').trim()
  throw new EscError(`no input: stdin closed before an answer was given to "${name}"`, {kind: 'auth'})
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
      return (await readLineFromStream(input, output, question)).trim()
    },
    async askSecret(question) {
      output.write(question)
      if (input.isTTY && typeof input.setRawMode === 'function') return readSecretFromTty(input, output)
      return readLineFromStream(input, output, question)
    },
  }
}

/** esc validates `--email`; this is a plain shape check (something@host.tld). */
export function isValidEmail(value: string): boolean {
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
}
