#!/usr/bin/env node
// The baseline of bench/s3.js: what uploading or downloading the same files costs with the same SDK
// (@aws-sdk/lib-storage multipart uploads, 5 MiB parts, 2 parts at a time per object, as esc's s3-store.ts) and the same
// number of files in flight as esc, with no hashing, checks or manifest.
//   node bench/s3-plain.js upload <dir> s3://bucket/prefix [concurrency]
//   node bench/s3-plain.js download s3://bucket/prefix <dir> [concurrency]     (then fsync, as esc does)
// Credentials and endpoint from the environment, as esc reads them (path-style for an IP endpoint).
import {createReadStream, createWriteStream} from 'node:fs'
import {mkdir, open, readdir} from 'node:fs/promises'
import {dirname, join, relative, sep} from 'node:path'
import {pipeline} from 'node:stream/promises'

import {GetObjectCommand, ListObjectsV2Command, S3Client} from '@aws-sdk/client-s3'
import {Upload} from '@aws-sdk/lib-storage'

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const [mode, a, b, n] = process.argv.slice(2)
const concurrency = Number(n ?? 3)
const endpoint = process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL
const client = new S3Client({
  region: process.env.AWS_REGION ?? 'us-east-1',
  forcePathStyle: Boolean(endpoint && /^https?:\/\/[\d.]+[:/]/.test(endpoint)),
  maxAttempts: 5,
})
const parse = (url) => {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url)
  return {bucket: m[1], prefix: m[2] ? `${m[2].replace(/\/$/, '')}/` : ''}
}
async function pool(items, limit, fn) {
  let next = 0
  await Promise.all(
    Array.from({length: Math.min(limit, items.length)}, async () => {
      while (next < items.length) await fn(items[next++])
    }),
  )
}
async function walk(dir) {
  const out = []
  for (const e of await readdir(dir, {withFileTypes: true})) {
    const p = join(dir, e.name)
    if (e.isDirectory()) out.push(...(await walk(p)))
    else if (e.isFile()) out.push(p)
  }
  return out
}

if (mode === 'upload') {
  const {bucket, prefix} = parse(b)
  await pool(await walk(a), concurrency, async (file) => {
    const key = prefix + relative(a, file).split(sep).join('/')
    await new Upload({
      client,
      params: {Bucket: bucket, Key: key, Body: createReadStream(file)},
      partSize: 5 * 2 ** 20,
      queueSize: 2,
    }).done()
  })
} else if (mode === 'download') {
  const {bucket, prefix} = parse(a)
  const keys = []
  let token
  do {
    const out = await client.send(new ListObjectsV2Command({Bucket: bucket, Prefix: prefix, ContinuationToken: token}))
    for (const o of out.Contents ?? []) keys.push(o.Key)
    token = out.IsTruncated ? out.NextContinuationToken : undefined
  } while (token)
  await pool(keys, concurrency, async (key) => {
    const dest = join(b, ...key.slice(prefix.length).split('/'))
    await mkdir(dirname(dest), {recursive: true})
    const out = await client.send(new GetObjectCommand({Bucket: bucket, Key: key}))
    await pipeline(out.Body, createWriteStream(dest))
    const fh = await open(dest, 'r+')
    await fh.sync()
    await fh.close()
  })
} else {
  process.stderr.write('usage: node bench/s3-plain.js upload <dir> s3://bucket/prefix | download s3://bucket/prefix <dir>\n')
  process.exit(2)
}
client.destroy()
