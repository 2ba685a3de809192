#!/usr/bin/env node
// Bundles each compiled command (and hook) with the esc modules it imports, sharing code between
// commands in chunks, so that running one command loads a handful of files instead of ~50.
// Module loading is most of esc's own start-up time (docs/BENCHMARKS.md); npm packages stay
// external, except smol-toml: every command reads settings.toml with it, and as a package it is 9
// ES modules to resolve and load (bundled, it is code in the command's file; the import() of it
// stays lazy). @oclif/core is external here and comes from its own bundle (scripts/oclif-bundle.js).
// dist/lib stays as tsc wrote them for the benchmarks and tools that import them.
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

/** Packages bundled into the commands; every other bare import stays external. */
const BUNDLED_PACKAGES = new Set(['smol-toml'])
const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({filter: /^[^./]/}, (args) => {
      const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0]
      return BUNDLED_PACKAGES.has(name) ? undefined : {path: args.path, external: true}
    })
  },
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
  plugins: [externalPackages],
  allowOverwrite: true,
  sourcemap: true,
  logLevel: 'warning',
})
console.log(`bundled ${entryPoints.length} commands and hooks (${relative(process.cwd(), dist)}/)`)
