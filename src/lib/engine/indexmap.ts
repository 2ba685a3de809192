import {createHash} from 'node:crypto'

import {FormatError} from './format-error.js'

export const INDEXMAP_VERSION = 2
export const DEFAULT_MAX_AUTO_MERGE_LEVEL = 2147483647

export interface IndexMapTable {
  level: number
  position: number
  file: string
}

export interface IndexMap {
  version: number
  prepareCheckpoint: number
  commitCheckpoint: number
  maxAutoMergeLevel?: number
  tables: IndexMapTable[]
}

/** `indexmap` text: the MD5 (32 uppercase hex) of everything after it, then version, checkpoints, tables. */
export function serializeIndexMap(map: IndexMap, newline = '\n'): Buffer {
  const lines = [String(map.version), `${map.prepareCheckpoint}/${map.commitCheckpoint}`]
  if (map.version >= 2) lines.push(String(map.maxAutoMergeLevel ?? DEFAULT_MAX_AUTO_MERGE_LEVEL))
  for (const t of map.tables) lines.push(`${t.level},${t.position},${t.file}`)
  const body = Buffer.from(newline + lines.join(newline) + newline, 'utf8')
  const md5 = createHash('md5').update(body).digest('hex').toUpperCase()
  return Buffer.concat([Buffer.from(md5, 'ascii'), body])
}

export function parseIndexMap(buf: Buffer, file = 'indexmap'): IndexMap {
  if (buf.length < 32) throw new FormatError(file, `too short for an indexmap (${buf.length} bytes)`)
  const stored = buf.subarray(0, 32).toString('ascii')
  if (!/^[0-9A-F]{32}$/.test(stored)) throw new FormatError(file, 'first line is not an uppercase MD5')
  const actual = createHash('md5').update(buf.subarray(32)).digest('hex').toUpperCase()
  if (actual !== stored) throw new FormatError(file, `MD5 mismatch (stored ${stored}, computed ${actual})`)
  const lines = buf.subarray(32).toString('utf8').split(/\r?\n/).slice(1)
  while (lines.length > 0 && lines.at(-1) === '') lines.pop()
  const version = Number(lines[0])
  if (version !== 1 && version !== 2) throw new FormatError(file, `unknown indexmap version ${lines[0]}`)
  const cp = /^(-?\d+)\/(-?\d+)$/.exec(lines[1] ?? '')
  if (!cp) throw new FormatError(file, `bad checkpoint line "${lines[1] ?? ''}"`)
  const prepareCheckpoint = Number(cp[1])
  const commitCheckpoint = Number(cp[2])
  if (prepareCheckpoint < -1 || commitCheckpoint < -1) throw new FormatError(file, 'checkpoints below -1')
  let next = 2
  let maxAutoMergeLevel: number | undefined
  if (version >= 2) {
    maxAutoMergeLevel = Number(lines[2])
    if (!Number.isInteger(maxAutoMergeLevel)) throw new FormatError(file, `bad maxAutoMergeLevel "${lines[2] ?? ''}"`)
    next = 3
  }
  const tables: IndexMapTable[] = []
  for (const line of lines.slice(next)) {
    const m = /^(\d+),(\d+),([^,/\\]+)$/.exec(line)
    if (!m) throw new FormatError(file, `bad PTable line "${line}"`)
    tables.push({level: Number(m[1]), position: Number(m[2]), file: m[3]})
  }
  if (tables.length > 0 && (prepareCheckpoint < 0 || commitCheckpoint < 0)) {
    throw new FormatError(file, 'negative checkpoints with PTables listed')
  }
  const byLevel = new Map<number, number[]>()
  for (const t of tables) byLevel.set(t.level, [...(byLevel.get(t.level) ?? []), t.position])
  for (const [level, positions] of byLevel) {
    const sorted = [...positions].sort((a, b) => a - b)
    if (sorted.some((p, i) => p !== i)) throw new FormatError(file, `level ${level} is missing contiguous positions`)
  }
  return {version, prepareCheckpoint, commitCheckpoint, maxAutoMergeLevel, tables}
}
