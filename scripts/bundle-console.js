#!/usr/bin/env node
// Bundles the local console's browser code (web/: preact + htm, and the CLI's own label and
// schedule modules) into dist/console, which the local cloud serves from the package: no CDN, so
// the console works offline. Prints the gzipped size of what the browser downloads.
import {copyFileSync, mkdirSync, readFileSync} from 'node:fs'
import {gzipSync} from 'node:zlib'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const out = `${root}dist/console`
mkdirSync(out, {recursive: true})
await build({
  entryPoints: [`${root}web/app.ts`],
  outfile: `${out}/app.js`,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
})
copyFileSync(`${root}web/app.css`, `${out}/app.css`)
const js = readFileSync(`${out}/app.js`)
if (process.env.ESC_BUNDLE_QUIET !== '1') {
  console.log(`console: app.js ${(js.length / 1024).toFixed(1)} KB, ${(gzipSync(js).length / 1024).toFixed(1)} KB gzipped`)
}
