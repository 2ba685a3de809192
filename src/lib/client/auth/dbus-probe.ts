import {existsSync} from 'node:fs'
import {connect, type Socket} from 'node:net'

/**
 * The Secret Service client inside @napi-rs/keyring connects to D-Bus synchronously on the main
 * thread: against a bus that accepts the connection but never answers, it blocks the CLI forever
 * and no timer can fire. So before loading it we run the first step of the D-Bus handshake
 * ourselves (`AUTH EXTERNAL`) with a timeout; any answer (OK or REJECTED) means a live bus.
 */

export type BusAddress = {path: string} | {host: string; port: number}

/** The session bus addresses to try, from DBUS_SESSION_BUS_ADDRESS or the standard per-user socket. */
export function sessionBusAddresses(env: NodeJS.ProcessEnv): BusAddress[] {
  const value = env.DBUS_SESSION_BUS_ADDRESS
  if (!value) {
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined
    const standard = uid === undefined ? undefined : `/run/user/${uid}/bus`
    return standard && existsSync(standard) ? [{path: standard}] : []
  }
  const addresses: BusAddress[] = []
  for (const entry of value.split(';')) {
    const colon = entry.indexOf(':')
    if (colon === -1) continue
    const transport = entry.slice(0, colon)
    const params = new Map(
      entry
        .slice(colon + 1)
        .split(',')
        .map((kv) => kv.split('=', 2) as [string, string])
        .map(([k, v]) => [k, decodeURIComponent(v ?? '')]),
    )
    if (transport === 'unix' && params.has('path')) addresses.push({path: params.get('path') as string})
    else if (transport === 'unix' && params.has('abstract')) addresses.push({path: `\0${params.get('abstract')}`})
    else if (transport === 'tcp' && params.has('port'))
      addresses.push({host: params.get('host') || '127.0.0.1', port: Number(params.get('port'))})
  }
  return addresses
}

function probeOne(address: BusAddress, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    let settled = false
    let socket: Socket | undefined
    const done = (alive: boolean) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket?.destroy()
      resolve(alive)
    }
    const timer = setTimeout(() => done(false), timeoutMs)
    timer.unref()
    try {
      socket = 'path' in address ? connect({path: address.path}) : connect({host: address.host, port: address.port})
    } catch {
      done(false)
      return
    }
    const uid = typeof process.getuid === 'function' ? String(process.getuid()) : '0'
    socket.on('connect', () => socket?.write(`\0AUTH EXTERNAL ${Buffer.from(uid).toString('hex')}\r\n`))
    socket.on('data', (chunk) => done(/^(OK|REJECTED)\b/.test(chunk.toString('latin1'))))
    socket.on('error', () => done(false))
    socket.on('close', () => done(false))
  })
}

/** True when some session bus address answers the handshake within `timeoutMs`. */
export async function sessionBusAlive(env: NodeJS.ProcessEnv, timeoutMs: number): Promise<boolean> {
  for (const address of sessionBusAddresses(env)) {
    if (await probeOne(address, timeoutMs)) return true
  }
  return false
}
