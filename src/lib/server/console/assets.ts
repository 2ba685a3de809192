import {existsSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

/**
 * Where the bundled browser code is: `dist/console` of this package (scripts/bundle-console.js
 * writes it at build time). Found by walking up to the package root, because this module runs
 * from src/ under the tests, from dist/lib when compiled and from a chunk of dist/ when bundled.
 */
export function consoleAssetsDir(from: string = fileURLToPath(import.meta.url)): string | undefined {
  let dir = dirname(from)
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const assets = join(dir, 'dist', 'console')
      return existsSync(join(assets, 'app.js')) ? assets : undefined
    }
    const parent = dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
