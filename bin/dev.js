#!/usr/bin/env node
// Runs the CLI from the TypeScript sources, without a build: in development mode oclif registers
// tsx itself and maps dist/commands to src/commands through tsconfig.json.
import {execute} from '@oclif/core'

import {hoistGlobalFlags} from './global-flags.js'

await execute({args: hoistGlobalFlags(process.argv.slice(2)), development: true, dir: import.meta.url})
