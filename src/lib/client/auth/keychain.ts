import {sessionBusAddresses, sessionBusAlive} from './dbus-probe.js'

/**
 * The OS keychain (macOS Keychain, Windows Credential Manager, Secret Service on Linux) through
 * @napi-rs/keyring. Every call is bounded by a timeout and any failure means "no keychain": the
 * caller falls back to the token file without telling the user (headless Linux and CI have none).
 */
export const KEYCHAIN_SERVICE = 'esc'
const DEFAULT_TIMEOUT_MS = 3000

type KeyringModule = typeof import('@napi-rs/keyring')

export interface Keychain {
  get(account: string): Promise<string | undefined>
  set(account: string, secret: string): Promise<boolean>
  delete(account: string): Promise<boolean>
}

/** `ESC_KEYRING=0|off|false|no` forces the file store. */
export function keychainDisabledByEnv(env: NodeJS.ProcessEnv): boolean {
  const value = (env.ESC_KEYRING ?? '').trim().toLowerCase()
  return ['0', 'off', 'false', 'no'].includes(value)
}

/**
 * Cheap check before anything else: on Linux the Secret Service lives on the D-Bus session bus;
 * without a bus address (or the standard per-user socket) there is nothing to ask.
 */
export function keychainPlausible(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (keychainDisabledByEnv(env)) return false
  if (platform === 'darwin' || platform === 'win32') return true
  return sessionBusAddresses(env).length > 0
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms)
    timer.unref()
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

class NativeKeychain implements Keychain {
  /** Once a call times out or the module is missing, stop asking for the rest of the run. */
  private broken = false
  private module?: Promise<KeyringModule | undefined>

  constructor(
    private readonly timeoutMs: number,
    private readonly debug: (line: string) => void,
    /** Resolves false when the native module must not be touched (dead or hung D-Bus). */
    private readonly usable: () => Promise<boolean>,
  ) {}

  async get(account: string): Promise<string | undefined> {
    const value = await this.call('read', (k) => new k.AsyncEntry(KEYCHAIN_SERVICE, account).getPassword())
    return typeof value === 'string' && value !== '' ? value : undefined
  }

  async set(account: string, secret: string): Promise<boolean> {
    const result = await this.call('write', async (k) => {
      await new k.AsyncEntry(KEYCHAIN_SERVICE, account).setPassword(secret)
      return true
    })
    return result === true
  }

  async delete(account: string): Promise<boolean> {
    const result = await this.call('delete', (k) => new k.AsyncEntry(KEYCHAIN_SERVICE, account).deleteCredential())
    return result === true
  }

  private async call<T>(what: string, op: (k: KeyringModule) => Promise<T>): Promise<T | undefined> {
    if (this.broken) return undefined
    this.module ??= this.usable().then((usable) => {
      if (!usable) {
        this.debug('no answer from the D-Bus session bus; using the token file')
        return undefined
      }
      return import('@napi-rs/keyring').catch((error: unknown) => {
        this.debug(`keychain module unavailable: ${(error as Error).message}`)
        return undefined
      })
    })
    const keyring = await this.module
    if (!keyring) {
      this.broken = true
      return undefined
    }
    try {
      const result = await withTimeout(op(keyring), this.timeoutMs)
      if (result === 'timeout') {
        this.broken = true
        this.debug(`keychain ${what} timed out after ${this.timeoutMs} ms; using the token file`)
        return undefined
      }
      return result
    } catch (error) {
      this.debug(`keychain ${what} failed: ${(error as Error).message.split('\n')[0]}`)
      return undefined
    }
  }
}

class NoKeychain implements Keychain {
  async get(): Promise<undefined> {
    return undefined
  }

  async set(): Promise<boolean> {
    return false
  }

  async delete(): Promise<boolean> {
    return false
  }
}

export function openKeychain(env: NodeJS.ProcessEnv = process.env, debug: (line: string) => void = () => {}): Keychain {
  if (!keychainPlausible(env)) return new NoKeychain()
  const timeout = Number(env.ESC_KEYRING_TIMEOUT_MS)
  const timeoutMs = Number.isFinite(timeout) && timeout > 0 ? timeout : DEFAULT_TIMEOUT_MS
  const linux = process.platform !== 'darwin' && process.platform !== 'win32'
  const usable = linux ? () => sessionBusAlive(env, Math.min(timeoutMs, 1000)) : async () => true
  return new NativeKeychain(timeoutMs, debug, usable)
}
