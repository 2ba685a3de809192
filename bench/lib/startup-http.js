// `node bench/startup.js --http`: what the choice of HTTP module costs an API command at start-up.
//
// Each case is a fresh `node` process running a tiny ES module (cwd = the repository, so `got`
// resolves from its node_modules). esc no longer depends on got: its two cases run only where it
// is installed (`npm install --no-save got@14` to compare again). The cases run interleaved (one of each per round, 2 warm-up
// rounds discarded) and the report gives each one's median minus the median of an ES module that
// does nothing, i.e. the time the import (and, for the "+ GET" rows, one request to a loopback
// server) adds to a process's life:
//
//   node:http                  import('node:http')
//   node:http + node:https     both (the product loads https only for https: URLs)
//   got                        import('got')
//   product module             import(BENCH_HTTP_MODULE): the CLI's request module, built
//   node:http + GET            node:http's request(), one GET to the loopback responder
//   product module + GET       sendPlainRequest(), one GET
//   got + GET                  got(), one GET
//
// BENCH_HTTP_MODULE names the product's HTTP module relative to the repository (default
// src/lib/core/http.ts); a src/….ts path is mapped to the built dist/….js, so build first.
import {spawn} from 'node:child_process'
import {existsSync} from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

const median = (xs) => {
  const t = [...xs].sort((a, b) => a - b)
  return t.length % 2 ? t[(t.length - 1) / 2] : (t[t.length / 2 - 1] + t[t.length / 2]) / 2
}

function builtPath(root, modulePath) {
  const m = /^src\/(.+)\.ts$/.exec(modulePath.split(path.sep).join('/'))
  return path.resolve(root, m ? `dist/${m[1]}.js` : modulePath)
}

function runModule(source, cwd) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint()
    const child = spawn(process.execPath, ['--input-type=module', '-e', source], {cwd, stdio: ['ignore', 'pipe', 'pipe']})
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`case exited ${code}:\n${source}\n${err}`))
      else resolve(Number(process.hrtime.bigint() - started) / 1e6)
    })
  })
}

export async function benchHttpImports({root, runs}) {
  const modulePath = process.env.BENCH_HTTP_MODULE ?? 'src/lib/core/http.ts'
  const built = builtPath(root, modulePath)
  if (!existsSync(built)) {
    console.error(`bench/startup.js --http: ${built} (from BENCH_HTTP_MODULE=${modulePath}) does not exist: run \`npm run build\` first`)
    process.exitCode = 1
    return
  }
  const product = JSON.stringify(pathToFileURL(built).href)
  const server = http.createServer((req, res) => {
    req.resume()
    res.writeHead(200, {'content-type': 'application/json'})
    res.end('{"ok":true}')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = JSON.stringify(`http://127.0.0.1:${server.address().port}/`)
  const cases = [
    {label: 'empty ES module (baseline)', source: 'export {}'},
    {label: '`node:http`', source: "await import('node:http')"},
    {label: '`node:http` + `node:https`', source: "await Promise.all([import('node:http'), import('node:https')])"},
    {label: '`got`', source: "await import('got')"},
    {label: `product module (\`${modulePath}\`, built)`, source: `await import(${product})`},
    {
      label: '`node:http` + one GET',
      source: `const {request} = await import('node:http')
await new Promise((resolve, reject) => request(${url}, (res) => { res.resume(); res.on('end', resolve) }).on('error', reject).end())`,
    },
    {
      label: 'product module + one GET (`sendPlainRequest`)',
      source: `const {sendPlainRequest} = await import(${product})
const r = await sendPlainRequest(${url}, {method: 'GET'}); if (r.status !== 200) process.exit(1)`,
    },
    {label: '`got` + one GET', source: `const {default: got} = await import('got'); await got(${url}).json()`},
  ]
  const hasGot = existsSync(path.join(root, 'node_modules', 'got', 'package.json'))
  if (!hasGot) {
    console.error('bench/startup.js --http: got is not installed; its cases are skipped (npm install --no-save got@14 to measure them)')
    cases.splice(0, cases.length, ...cases.filter((c) => !c.label.includes('`got`')))
  }
  try {
    const times = cases.map(() => [])
    for (let round = -2; round < runs; round++) {
      for (const [i, c] of cases.entries()) {
        const ms = await runModule(c.source, root)
        if (round >= 0) times[i].push(ms)
      }
    }
    const base = median(times[0])
    console.log(`machine: ${os.cpus().length} CPUs (nproc), node ${process.version}, ${os.platform()} ${os.arch()}`)
    console.log(
      `command: npm run bench:startup -- --http (BENCH_RUNS=${runs} rounds, cases interleaved, median after 2 warm-up rounds, BENCH_HTTP_MODULE=${modulePath}); 1-min load average at the end: ${os.loadavg()[0].toFixed(2)}`,
    )
    console.log('')
    console.log('| case | median ms | min | max | added to the baseline (median) |')
    console.log('|---|---:|---:|---:|---:|')
    for (const [i, c] of cases.entries()) {
      const m = median(times[i])
      const added = i === 0 ? '—' : `${m - base >= 0 ? '+' : ''}${(m - base).toFixed(1)} ms`
      console.log(`| ${c.label} | ${m.toFixed(1)} | ${Math.min(...times[i]).toFixed(1)} | ${Math.max(...times[i]).toFixed(1)} | ${added} |`)
    }
  } finally {
    server.close()
  }
}
