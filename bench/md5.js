// MD5 throughput on one thread: OpenSSL (node:crypto, one stream) against the multi-buffer
// WebAssembly SIMD kernel with 4 and 8 lanes, and the kernel with a single busy lane (what a file
// hashed alone costs). Data in memory, so the figures are the hashing alone: CPU-seconds per GB
// (process CPU time, robust when the machine is shared) and MB/s of wall time.
//   npm run build && npm run bench:md5 [-- <MiB per contender, default 1024>]
import {createHash} from 'node:crypto'
import {cpus, loadavg} from 'node:os'

import {createMd5Lanes, md5KernelBytes} from '../dist/lib/engine/md5-simd.js'

const total = Number(process.argv[2] ?? 1024) * 1024 * 1024
const LANE_BYTES = 256 * 1024
const data = Buffer.alloc(LANE_BYTES, 0x5a)

function measure(name, run) {
  run(64 * 1024 * 1024) // warm-up: the kernel is compiled on first use
  const cpu0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  run(total)
  const wall = Number(process.hrtime.bigint() - t0) / 1e9
  const cpu = process.cpuUsage(cpu0)
  const cpuSeconds = (cpu.user + cpu.system) / 1e6
  const gb = total / 1e9
  console.log(`${name.padEnd(22)} ${(total / wall / 1e6).toFixed(0).padStart(5)} MB/s  ${(cpuSeconds / gb).toFixed(2)} CPU-s/GB`)
}

function openssl(bytes) {
  const hash = createHash('md5')
  for (let done = 0; done < bytes; done += data.length) hash.update(data)
  hash.digest()
}

/** `files` messages of equal size kept in `lanes` lanes at once; reads copy from memory. */
function kernel(lanes, busy) {
  const driver = createMd5Lanes(md5KernelBytes(lanes, LANE_BYTES), lanes, LANE_BYTES)
  return (bytes) => {
    const per = Math.floor(bytes / busy / 64) * 64
    for (let i = 0; i < busy; i++) {
      driver.start({
        name: `m${i}`,
        size: per,
        read: (t) => data.copy(t, 0, 0, t.length),
        done() {},
        fail: (e) => {
          throw e
        },
      })
    }
    while (driver.step() > 0);
  }
}

console.log(
  `${cpus()[0].model}, ${cpus().length} cores, Node ${process.version}, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
if (!md5KernelBytes(4, LANE_BYTES)) console.log('no WebAssembly SIMD here: only OpenSSL is measured')
measure('OpenSSL, 1 stream', openssl)
if (md5KernelBytes(4, LANE_BYTES)) {
  measure('wasm SIMD, 4 lanes', kernel(4, 4))
  measure('wasm SIMD, 8 lanes', kernel(8, 8))
  measure('wasm SIMD, 1 of 4 lanes', kernel(4, 1))
}
console.log(
  `load average after: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
