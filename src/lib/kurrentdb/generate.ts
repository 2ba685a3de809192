import type {GenerateOptions, GenerateResult} from './types.js'

export async function generateDataDir(_dir: string, _opts: GenerateOptions): Promise<GenerateResult> {
  throw new Error('generateDataDir: not implemented yet')
}
