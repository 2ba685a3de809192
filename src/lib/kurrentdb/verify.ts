import type {VerifyOptions, VerifyReport} from './types.js'

export async function verifyDirectory(_dir: string, _opts: VerifyOptions = {}): Promise<VerifyReport> {
  throw new Error('verifyDirectory: not implemented yet')
}
