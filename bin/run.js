#!/usr/bin/env node
import {hoistGlobalFlags, hoistIntegrationCreateFlags} from './global-flags.js'

// `esc --version` answers before oclif loads (oclif's boot alone is about 2x `node -e 0`), and in
// the official esc's format: `esc <version>`.
const args = process.argv.slice(2)
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  const {readFileSync} = await import('node:fs')
  const {version} = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))
  process.stdout.write(`esc ${version}\n`)
} else {
  // oclif from its one-file bundle with a V8 code cache, and a fast path for plain commands
  // (bin/oclif-core.js, bin/dispatch.js).
  const {dispatch} = await import('./dispatch.js')
  await dispatch(hoistIntegrationCreateFlags(hoistGlobalFlags(args)), import.meta.url)
}
