import {strict as assert} from 'node:assert'
import {existsSync, readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'

import {repoRoot} from '../support/run-cli.js'

interface Edge {
  from: string
  to: string
  lazy: boolean
}

/** Static and literal dynamic imports of a TS file: relative ones resolved to files, bare ones as package names. */
function importsOf(file: string): Edge[] {
  const text = readFileSync(file, 'utf8')
  const edges: Edge[] = []
  const add = (spec: string, lazy: boolean) => {
    if (spec.startsWith('.')) {
      const target = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts')
      edges.push({from: file, to: existsSync(target) ? target : target.replace(/\.ts$/, '/index.ts'), lazy})
    } else if (!spec.startsWith('node:')) {
      edges.push({from: file, to: spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0], lazy})
    }
  }
  for (const m of text.matchAll(/^\s*(?:import|export)\s+(type\s+)?[^'"]*?from\s+'([^']+)'/gm)) if (!m[1]) add(m[2], false)
  for (const m of text.matchAll(/^\s*import\s+'([^']+)'/gm)) add(m[1], false)
  for (const m of text.matchAll(/\bimport\(\s*'([^']+)'\s*\)/g)) add(m[1], true)
  return edges
}

/** Everything reachable from the entry files; `eagerOnly` follows static imports only. */
function reachable(entries: string[], eagerOnly: boolean): {files: Set<string>; packages: Map<string, string>} {
  const files = new Set<string>()
  const packages = new Map<string, string>()
  const queue = [...entries]
  while (queue.length > 0) {
    const file = queue.pop()!
    if (files.has(file)) continue
    files.add(file)
    for (const e of importsOf(file)) {
      if (eagerOnly && e.lazy) continue
      if (path.isAbsolute(e.to)) {
        if (existsSync(e.to)) queue.push(e.to)
      } else if (!packages.has(e.to)) packages.set(e.to, path.relative(repoRoot, file))
    }
  }
  return {files, packages}
}

/**
 * The layers of src/lib and who may import whom (ARCHITECTURE.md draws them). `lazyOnly`: reached
 * only through `await import()`, so a command's start-up does not pay for it.
 */
const LAYER_RULES: Record<string, {may: string[]; lazyOnly?: string[]}> = {
  core: {may: ['core']},
  contract: {may: ['core', 'contract']},
  engine: {may: ['core', 'engine']},
  client: {may: ['core', 'contract', 'client']},
  server: {may: ['core', 'contract', 'engine', 'server']},
  cli: {may: ['core', 'contract', 'engine', 'client', 'server', 'cli']},
  commands: {may: ['core', 'contract', 'engine', 'client', 'server', 'cli'], lazyOnly: ['engine', 'server']},
}

function layerOf(file: string): string | undefined {
  const rel = path.relative(repoRoot, file)
  const m = /^src\/lib\/([^/]+)\//.exec(rel)
  if (m) return m[1]
  if (rel.startsWith('src/commands/') || rel.startsWith('src/hooks/')) return 'commands'
  return undefined
}

/** The imports that break the layer rules, as `from -> to` lines. */
export function layerViolations(edges: Edge[]): string[] {
  const out: string[] = []
  for (const e of edges) {
    const from = layerOf(e.from)
    const to = path.isAbsolute(e.to) ? layerOf(e.to) : undefined
    if (!from || !to || from === to) continue
    const rule = LAYER_RULES[from]
    if (!rule) out.push(`${path.relative(repoRoot, e.from)}: in no layer`)
    else if (!rule.may.includes(to))
      out.push(`${path.relative(repoRoot, e.from)} -> ${path.relative(repoRoot, e.to)} (${from} may not import ${to})`)
    else if (!e.lazy && rule.lazyOnly?.includes(to))
      out.push(`${path.relative(repoRoot, e.from)} -> ${path.relative(repoRoot, e.to)} (${from} imports ${to} only lazily)`)
  }
  return out
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(repoRoot, dir), {recursive: true, encoding: 'utf8'})
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(repoRoot, dir, f))
}

describe('layers: who may import whom', () => {
  it('every import in src/ keeps the layer rules', () => {
    const files = [...sourceFiles('src/lib'), ...sourceFiles('src/commands'), ...sourceFiles('src/hooks')]
    for (const file of files)
      assert.ok(layerOf(file), `${path.relative(repoRoot, file)} is in no layer: put it in one of ${Object.keys(LAYER_RULES).join(', ')}`)
    assert.deepEqual(
      files.flatMap((f) => layerViolations(importsOf(f))),
      [],
    )
  })

  it('reports a forbidden import: the engine importing the CLI, a command importing the server eagerly', () => {
    const at = (rel: string) => path.join(repoRoot, rel)
    assert.deepEqual(
      layerViolations([
        {from: at('src/lib/engine/backup.ts'), to: at('src/lib/cli/base-command.ts'), lazy: false},
        {from: at('src/lib/server/cloud.ts'), to: at('src/lib/client/api/client.ts'), lazy: true},
        {from: at('src/commands/local/stop.ts'), to: at('src/lib/server/layout.ts'), lazy: false},
        {from: at('src/commands/local/stop.ts'), to: at('src/lib/server/layout.ts'), lazy: true},
      ]),
      [
        'src/lib/engine/backup.ts -> src/lib/cli/base-command.ts (engine may not import cli)',
        'src/lib/server/cloud.ts -> src/lib/client/api/client.ts (server may not import client)',
        'src/commands/local/stop.ts -> src/lib/server/layout.ts (commands imports server only lazily)',
      ],
    )
  })
})

const entries = ['create', 'get', 'list', 'delete'].map((c) => path.join(repoRoot, 'src/commands/mesdb/backups', `${c}.ts`))

describe('client command import graph (startup stays light)', () => {
  it('never reaches the local cloud, the KurrentDB engine or server/database packages, even lazily', () => {
    const {files, packages} = reachable(entries, false)
    const bad = [...files]
      .map((f) => path.relative(repoRoot, f))
      .filter((f) => f.startsWith('src/lib/server/') || f.startsWith('src/lib/engine/'))
    assert.deepEqual(bad, [])
    for (const pkg of ['fastify', 'better-sqlite3', '@fastify/static', 'autocannon']) {
      assert.ok(!packages.has(pkg), `${pkg} imported by ${packages.get(pkg)}`)
    }
  })

  it('loads cli-table3 and date-fns only lazily, and got not at all', () => {
    const {packages} = reachable(entries, true)
    for (const pkg of ['cli-table3', 'date-fns']) assert.ok(!packages.has(pkg), `${pkg} statically imported by ${packages.get(pkg)}`)
    const lazy = reachable(entries, false).packages
    assert.ok(lazy.has('cli-table3'), 'the graph walk sees lazy imports')
    assert.ok(!lazy.has('got'), `got (100-150 ms to import) reached from a client command via ${lazy.get('got')}`)
  })
})

describe('layers: the engine and the server speak no CLI', () => {
  it('no string in src/lib/engine or src/lib/server names a command-line flag', () => {
    const offenders: string[] = []
    for (const file of [...sourceFiles('src/lib/engine'), ...sourceFiles('src/lib/server')]) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (/^\s*(\/\/|\*|\/\*)/.test(line)) return
          if (/['"`][^'"`]*?\s--[a-z][a-z-]+/.test(line) || /['"`]--[a-z][a-z-]+/.test(line))
            offenders.push(`${path.relative(repoRoot, file)}:${i + 1}: ${line.trim()}`)
        })
    }
    assert.deepEqual(offenders, [], 'advice goes in the error hint (core/errors.ts ERROR_ADVICE); cli/error-exit.ts words it')
  })
})

describe('the S3 client loads only for s3:// repositories', () => {
  it('@aws-sdk packages are imported by src/lib/engine/repository/s3-store.ts alone, and only lazily', () => {
    const files = [...sourceFiles('src/lib'), ...sourceFiles('src/commands'), ...sourceFiles('src/hooks')]
    const sdkEdges = files.flatMap(importsOf).filter((e) => !path.isAbsolute(e.to) && e.to.startsWith('@aws-sdk'))
    assert.ok(sdkEdges.length > 0, 'the walk sees the SDK imports')
    assert.deepEqual(
      [...new Set(sdkEdges.map((e) => `${path.relative(repoRoot, e.from)}${e.lazy ? '' : ' (static)'}`))],
      ['src/lib/engine/repository/s3-store.ts'],
    )
  })

  it('no command reaches the SDK through static imports, the node commands included', () => {
    const nodeCommands = sourceFiles('src/commands/node')
    const {packages} = reachable([...entries, ...nodeCommands], true)
    assert.ok(![...packages.keys()].some((p) => p.startsWith('@aws-sdk')), `reached via ${packages.get('@aws-sdk/client-s3')}`)
  })
})
