import {strict as assert} from 'node:assert'
import {existsSync, readFileSync} from 'node:fs'
import path from 'node:path'

import {repoRoot} from '../../support/run-cli.js'

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

const entries = ['create', 'get', 'list', 'delete'].map((c) => path.join(repoRoot, 'src/commands/mesdb/backups', `${c}.ts`))

describe('client command import graph (startup stays light)', () => {
  it('never reaches the local cloud, the KurrentDB engine or server/database packages, even lazily', () => {
    const {files, packages} = reachable(entries, false)
    const bad = [...files].map((f) => path.relative(repoRoot, f)).filter((f) => f.startsWith('src/local/') || f.startsWith('src/lib/kurrentdb/'))
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
