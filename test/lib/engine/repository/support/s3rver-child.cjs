// Runs s3rver in a plain Node process (outside the test's TypeScript loader, which cannot load
// one of its dependencies), on 127.0.0.1 and a free port, and prints that port as one JSON line.
'use strict'
const S3rver = require('s3rver')

const [directory, bucket] = process.argv.slice(2)
const server = new S3rver({address: '127.0.0.1', port: 0, silent: true, directory, configureBuckets: [{name: bucket}]})
server.run().then(
  (addr) => process.stdout.write(JSON.stringify({port: addr.port}) + '\n'),
  (error) => {
    process.stderr.write(String(error && error.stack) + '\n')
    process.exit(1)
  },
)
process.on('SIGTERM', () => server.close().finally(() => process.exit(0)))
