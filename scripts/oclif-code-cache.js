#!/usr/bin/env node
// Writes the V8 code cache of the @oclif/core bundle (dist/oclif-core/lib/bundle.js.cache), which
// bin/oclif-core.js hands to vm.Script so that start-up skips compiling the bundle. Node 20 has no
// module.enableCompileCache() (22.1+), hence vm.Script's cachedData.
//
// The cache is made after a representative run, not right after compiling: V8 compiles functions
// lazily, and createCachedData() includes every function compiled so far. The run loads esc's
// config (with and without the plugins, as the fast and the normal dispatch paths do), loads an API
// command and parses its flags — the oclif code every command runs before its own.
// The cache is only valid for this Node/V8 (bin/oclif-core.js checks, and V8 rejects a mismatch).
import {readFileSync, writeFileSync} from 'node:fs'
import {relative} from 'node:path'
import {fileURLToPath} from 'node:url'

import {BUNDLE, CODE_CACHE, cacheHeader, loadBundle} from '../bin/oclif-core.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const loaded = loadBundle({useCache: false})
if (!loaded) throw new Error(`no bundle at ${BUNDLE}: run scripts/oclif-bundle.js first`)
const {Config, Parser, Plugin} = loaded.exports

const full = await Config.load(root)
const rootPlugin = new Plugin({isRoot: true, root})
await rootPlugin.load()
const config = await Config.load({root, plugins: new Map([[rootPlugin.name, rootPlugin]])})
for (const c of [full, config]) {
  const command = await c.findCommand('mesdb:backups:list').load()
  await Parser.parse(['--limit', '2', '--fmt', 'api'], {
    flags: {...command.baseFlags, ...command.flags},
    args: command.args,
    strict: command.strict,
    context: {},
  })
}

const data = loaded.script.createCachedData()
writeFileSync(CODE_CACHE, Buffer.concat([Buffer.from(`${cacheHeader(readFileSync(BUNDLE, 'utf8'))}\n`), data]))
console.log(
  `wrote the code cache of the @oclif/core bundle (${(data.length / 1024).toFixed(0)} KiB) to ${relative(process.cwd(), CODE_CACHE)}`,
)
