// Loads @oclif/core from the one-file bundle the build writes (scripts/oclif-bundle.js), compiled
// with the V8 code cache written next to it (scripts/oclif-code-cache.js), and registers it in
// require.cache under the package's own entry point. Every later `import '@oclif/core'` or
// `require('@oclif/core')` — esc's commands and hooks, @oclif/plugin-help, @oclif/plugin-autocomplete —
// then gets this same instance, so there is still exactly one oclif in the process.
//
// Without a built bundle (or with ESC_STARTUP_BUNDLE=0) this is plain `import('@oclif/core')`.
import {readFileSync} from 'node:fs'
import Module, {createRequire} from 'node:module'
import {dirname} from 'node:path'
import {fileURLToPath} from 'node:url'
import vm from 'node:vm'

export const BUNDLE = fileURLToPath(new URL('../dist/oclif-core/lib/bundle.js', import.meta.url))
export const CODE_CACHE = `${BUNDLE}.cache`

const require = createRequire(import.meta.url)

/**
 * Node's CommonJS wrapper plus `__escImport`, which the bundle calls in place of import()
 * (scripts/oclif-bundle.js explains why). oclif only imports absolute file: URLs.
 */
const WRAPPER = ['(function (exports, require, module, __filename, __dirname, __escImport) { ', '\n})']
const esmImport = (specifier) => import(specifier)

/**
 * The code cache file is `<JSON header>\n<V8 cached data>`; the header names the bundle it was
 * made from (the bundle's first line, which carries its sha256) and the V8 that made it. V8 itself
 * only checks the source's length, so a cache left over from another bundle must never reach it.
 * (Not the bundle's mtime: npm packs every file with the same fixed date.)
 */
export function cacheHeader(source) {
  return JSON.stringify({bundle: source.slice(0, source.indexOf('\n')), v8: process.versions.v8})
}

function readCodeCache(source) {
  let file
  try {
    file = readFileSync(CODE_CACHE)
  } catch {
    return undefined
  }
  const newline = file.indexOf(0x0a)
  if (newline < 0 || file.subarray(0, newline).toString('utf8') !== cacheHeader(source)) return undefined
  return file.subarray(newline + 1)
}

/**
 * Compiles and runs the bundle as the module `@oclif/core` (see above). Returns its exports and the
 * vm.Script (scripts/oclif-code-cache.js makes the code cache from it); `useCache: false` compiles
 * without the cache. Returns undefined when there is no bundle or @oclif/core is already loaded.
 */
export function loadBundle({useCache = true} = {}) {
  const entry = require.resolve('@oclif/core')
  if (require.cache[entry]) return undefined
  let source
  try {
    source = readFileSync(BUNDLE, 'utf8')
  } catch {
    return undefined
  }
  const cachedData = useCache ? readCodeCache(source) : undefined
  const script = new vm.Script(`${WRAPPER[0]}${source}${WRAPPER[1]}`, {filename: BUNDLE, cachedData})
  const mod = new Module(entry)
  mod.filename = entry
  require.cache[entry] = mod
  try {
    script.runInThisContext().call(mod.exports, mod.exports, createRequire(BUNDLE), mod, BUNDLE, dirname(BUNDLE), esmImport)
  } catch (error) {
    delete require.cache[entry]
    throw error
  }
  mod.loaded = true
  return {exports: mod.exports, script, cacheRejected: cachedData === undefined ? undefined : script.cachedDataRejected}
}

/** @oclif/core: the bundle when built, else the package. */
export async function loadOclifCore() {
  if (process.env.ESC_STARTUP_BUNDLE !== '0') loadBundle()
  return import('@oclif/core')
}
