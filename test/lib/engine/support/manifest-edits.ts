import {readFile, writeFile} from 'node:fs/promises'

import fc from 'fast-check'

import {replaceWith} from './property-case.js'

/** Edits a damaged disk or a hostile hand can make to a backup's manifest. */
export type ManifestEdit =
  | {op: 'dataDir'; value: unknown}
  | {op: 'path'; i: number; value: string}
  | {op: 'size'; i: number; value: number}
  | {op: 'md5'; i: number; value: string}
  | {op: 'kind'; i: number; value: string}
  | {op: 'drop'; i: number}
  | {op: 'dup'; i: number}
  | {op: 'field'; key: string; value: unknown}
  | {op: 'file'; how: 'truncate' | 'garbage' | 'fifo' | 'directory' | 'dev-zero-link' | 'empty'}

const hostileDirs = ['../victim', '/tmp', '', '.', '..', 'data-x/../../victim', 'data-20260101T000000Z-abcdef', 'index', 5, null]
const hostilePaths = [
  '../../victim/keep.txt',
  '../victim',
  '/etc/passwd',
  'index/../../victim',
  '',
  '.',
  'index',
  'chunk-000000.000000/../../x',
  'a\u0000b',
  'index/../writer.chk',
  'writer.chk',
  'chunk-000009.000000',
]
const fieldValues = [undefined, null, 5, -1, 'x', [], {}, true]

export const manifestEdit: fc.Arbitrary<ManifestEdit> = fc.oneof(
  fc.record({op: fc.constant('dataDir' as const), value: fc.constantFrom(...hostileDirs)}),
  fc.record({op: fc.constant('path' as const), i: fc.nat(20), value: fc.constantFrom(...hostilePaths)}),
  fc.record({op: fc.constant('size' as const), i: fc.nat(20), value: fc.integer({min: -10, max: 1_000_000})}),
  fc.record({op: fc.constant('md5' as const), i: fc.nat(20), value: fc.oneof(fc.constant('x'), fc.stringMatching(/^[\da-f]{32}$/))}),
  fc.record({
    op: fc.constant('kind' as const),
    i: fc.nat(20),
    value: fc.constantFrom('chunk', 'ptable', 'checkpoint', 'indexmap', 'bogus'),
  }),
  fc.record({op: fc.constant('drop' as const), i: fc.nat(20)}),
  fc.record({op: fc.constant('dup' as const), i: fc.nat(20)}),
  fc.record({
    op: fc.constant('field' as const),
    key: fc.constantFrom('format', 'formatVersion', 'complete', 'id', 'dataDir', 'files', 'checkpoints', 'chunkSize', 'lastChunk', 'index'),
    value: fc.constantFrom(...fieldValues),
  }),
  fc.record({op: fc.constant('file' as const), how: fc.constantFrom('truncate', 'garbage', 'fifo', 'directory', 'dev-zero-link', 'empty')}),
)

/** Applies the edits in order; an edit of the whole file comes last (the JSON edits need a JSON file). */
export async function applyManifestEdits(path: string, edits: ManifestEdit[]): Promise<void> {
  const original = await readFile(path)
  const manifest = JSON.parse(original.toString('utf8')) as Record<string, unknown> & {files: Record<string, unknown>[]}
  for (const edit of edits) {
    const files = manifest.files
    const entry = Array.isArray(files) && files.length > 0 && 'i' in edit ? files[edit.i % files.length] : undefined
    switch (edit.op) {
      case 'dataDir': {
        manifest.dataDir = edit.value
        break
      }

      case 'path':
      case 'size':
      case 'md5':
      case 'kind': {
        if (entry) entry[edit.op] = edit.value
        break
      }

      case 'drop': {
        if (entry) files.splice(files.indexOf(entry), 1)
        break
      }

      case 'dup': {
        if (entry) files.push({...entry})
        break
      }

      case 'field': {
        manifest[edit.key] = edit.value
        break
      }

      case 'file': {
        break
      }
    }
  }

  const text = Buffer.from(JSON.stringify(manifest, null, 2))
  await writeFile(path, text)
  const whole = edits.find((e): e is Extract<ManifestEdit, {op: 'file'}> => e.op === 'file')
  if (!whole) return
  if (whole.how === 'truncate') await writeFile(path, text.subarray(0, Math.floor(text.length / 2)))
  else if (whole.how === 'garbage') await writeFile(path, Buffer.from('\u0000\u0001not json at all'))
  else await replaceWith(path, whole.how, text)
}
