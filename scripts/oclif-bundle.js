#!/usr/bin/env node
// Bundles @oclif/core (about 120 CommonJS files with its dependencies) into one CommonJS file,
// dist/oclif-core/lib/bundle.js, that bin/oclif-core.js loads in place of the package (with the V8
// code cache that scripts/oclif-code-cache.js writes next to it). Resolving, reading and compiling
// the separate files was most of oclif's ~100 ms import (docs/BENCHMARKS.md).
//
// The layout mirrors the package's (lib/ under a directory with a package.json) because oclif reads
// `__dirname/../package.json` for its own version and engines; that package.json also says the
// bundle is CommonJS (esc's own package.json says "module").
//
// The bundle's import() calls (oclif imports ESM commands, hooks and tsx with them) become calls of
// `__escImport`, a parameter of the wrapper bin/oclif-core.js compiles the bundle in: an import()
// inside a vm.Script needs an importModuleDynamically callback, which on Node 20 is lost when the
// script comes from a code cache (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING) and, as
// USE_MAIN_CONTEXT_DEFAULT_LOADER, prints an ExperimentalWarning.
//
// External (required at run time from node_modules, exactly as the unbundled oclif does, and only
// on the paths that need them): typescript, ts-node, source-map-support and pnpapi, which oclif
// loads only in development mode or under Yarn PnP. Bundling typescript would add 9 MB.
import {createHash} from 'node:crypto'
import {mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {dirname, join, relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {build} from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const require = createRequire(join(root, 'package.json'))
const entry = require.resolve('@oclif/core')
const corePjson = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'))
const outDir = join(root, 'dist', 'oclif-core')
const outfile = join(outDir, 'lib', 'bundle.js')

export const EXTERNAL = ['typescript', 'ts-node', 'source-map-support', 'pnpapi']

mkdirSync(join(outDir, 'lib'), {recursive: true})
const result = await build({
  entryPoints: [entry],
  outfile,
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: EXTERNAL,
  // Class and function names stay as they are: oclif and its dependencies print and compare them.
  keepNames: true,
  metafile: true,
  logLevel: 'warning',
})
// Every `import(` of the output is either a call (rewritten) or the text "import()" of oclif's
// ModuleLoadError message; anything else stops the build rather than ship an unreviewed rewrite.
const code = readFileSync(outfile, 'utf8')
let calls = 0
const rewritten = code.replace(/(?<![\w$."'`])import\((?!\)")/g, () => {
  calls++
  return '__escImport('
})
const left = rewritten.match(/.{0,20}import\(.{0,20}/g) ?? []
if (calls === 0 || left.some((m) => !m.includes('"import()"'))) {
  throw new Error(`scripts/oclif-bundle.js: unexpected import( in the bundle (${calls} rewritten; left: ${JSON.stringify(left)})`)
}
// The first line names the bundle by its content; the code cache records it (bin/oclif-core.js).
const sha256 = createHash('sha256').update(rewritten).digest('hex')
writeFileSync(outfile, `// esc's bundle of ${corePjson.name} ${corePjson.version}, sha256:${sha256}\n${rewritten}`)
writeFileSync(
  join(outDir, 'package.json'),
  JSON.stringify(
    {
      name: corePjson.name,
      version: corePjson.version,
      description: `${corePjson.name} ${corePjson.version} bundled into one file by esc's scripts/oclif-bundle.js`,
      type: 'commonjs',
      engines: corePjson.engines,
      license: corePjson.license,
    },
    null,
    2,
  ) + '\n',
)
const inputs = Object.keys(result.metafile.inputs).length
console.log(
  `bundled ${corePjson.name} ${corePjson.version} (${inputs} files) into ${relative(process.cwd(), outfile)}; ${calls} import() calls go through __escImport`,
)
