#!/usr/bin/env node
// Bundles each compiled command (and hook) with the esc modules it imports, sharing code between
// commands in chunks, so that running one command loads a handful of files instead of ~50.
// Module loading is most of esc's own start-up time (docs/BENCHMARKS.md); npm packages stay
// external, and dist/lib, dist/local stay as tsc wrote them for the benchmarks and tools that import them.
import {readdirSync, statSync} from 'node:fs'
import {join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

const dist = fileURLToPath(new URL('../dist', import.meta.url))

function jsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return jsFiles(path)
    return name.endsWith('.js') ? [path] : []
  })
}

const entryPoints = [...jsFiles(join(dist, 'commands')), ...jsFiles(join(dist, 'hooks'))]
await build({
  entryPoints,
  outdir: dist,
  outbase: dist,
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  allowOverwrite: true,
  sourcemap: true,
  logLevel: 'warning',
})
console.log(`bundled ${entryPoints.length} commands and hooks (${relative(process.cwd(), dist)}/)`)
