// s3rver on 127.0.0.1 with a counting proxy in front of it, for bench/s3.js: the proxy forwards
// every request and counts the bytes of request and response bodies, which GET /__bytes returns
// (and resets) as JSON. Prints {"port": <proxy port>} on one line when ready.
'use strict'
const http = require('node:http')
const S3rver = require('s3rver')

const [directory, bucket] = process.argv.slice(2)
const server = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{name: bucket}]})
let counts = {up: 0, down: 0, requests: 0}
server.run().then(
  (addr) => {
    const proxy = http.createServer((req, res) => {
      if (req.url === '/__bytes') {
        res.end(JSON.stringify(counts))
        counts = {up: 0, down: 0, requests: 0}
        return
      }
      counts.requests++
      req.on('data', (b) => (counts.up += b.length))
      const upstream = http.request({host: '127.0.0.1', port: addr.port, method: req.method, path: req.url, headers: req.headers}, (up) => {
        res.writeHead(up.statusCode || 502, up.headers)
        up.on('data', (b) => (counts.down += b.length))
        up.pipe(res)
      })
      upstream.on('error', () => res.destroy())
      req.pipe(upstream)
    })
    proxy.keepAliveTimeout = 60_000
    proxy.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({port: proxy.address().port}) + '\n'))
  },
  (error) => {
    process.stderr.write(String(error && error.stack) + '\n')
    process.exit(1)
  },
)
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)))
