/// <reference lib="dom" />
// The page-side callbacks passed to puppeteer run in the browser.
/**
 * Browser-test support: headless Chromium (Debian's package, /usr/bin/chromium, or ESC_CHROMIUM)
 * driven by puppeteer-core, axe-core for accessibility, screenshots into a temp dir.
 */
import {strict as assert} from 'node:assert'
import {mkdirSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import puppeteer, {type Browser, type Page} from 'puppeteer-core'

import {repoRoot} from '../e2e/support.js'

export const screenshotDir = join(tmpdir(), 'esc-console-screenshots')

export async function launchBrowser(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: process.env.ESC_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  })
}

/** The first start's user and password, as `esc local start` printed them. */
export function credentialsFromBanner(banner: string): {email: string; password: string} {
  return {email: /user: +(\S+)/.exec(banner)![1], password: /password: +(\S+)/.exec(banner)![1]}
}

export async function signIn(page: Page, url: string, credentials: {email: string; password: string}): Promise<void> {
  await page.goto(`${url}/`)
  assert.equal(new URL(page.url()).pathname, '/sign-in')
  await page.locator('::-p-aria(Email)').fill(credentials.email)
  await page.locator('::-p-aria(Password)').fill(credentials.password)
  await Promise.all([page.waitForNavigation(), page.locator('::-p-aria(Sign in[role="button"])').click()])
  assert.equal(new URL(page.url()).pathname, '/clusters')
}

/** axe-core on the page as it is; fails on any serious or critical violation. */
export async function assertAccessible(page: Page, view: string): Promise<void> {
  // The console's CSP forbids inline scripts; the test page bypasses it only to inject axe.
  await page.addScriptTag({path: join(repoRoot, 'node_modules', 'axe-core', 'axe.min.js')})
  const violations = (await page.evaluate(async () => {
    const axe = (globalThis as unknown as {axe: {run(): Promise<{violations: Array<{id: string; impact: string; nodes: unknown[]}>}>}}).axe
    return (await axe.run()).violations.map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.length}))
  })) as Array<{id: string; impact: string}>
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
  assert.deepEqual(bad, [], `${view}: ${JSON.stringify(bad)}`)
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, {recursive: true})
  await page.screenshot({path: join(screenshotDir, `${name}.png`), fullPage: true})
}

/** Goes to a view through its navigation link (a client-side route). */
export async function openView(page: Page, name: string): Promise<void> {
  await page.locator(`nav ::-p-aria(${name})`).click()
  await page.waitForFunction((title) => document.querySelector('h1')?.textContent === title, {}, name)
}

/** Waits until the text appears in the page's text (polling view updates arrive every 2 s; generous for a loaded machine). */
export async function waitForText(page: Page, selector: string, text: string, timeout = 60_000): Promise<void> {
  await page.waitForFunction(
    (sel, t) => Array.from(document.querySelectorAll(sel)).some((e) => (e.textContent ?? '').includes(t)),
    {timeout, polling: 100},
    selector,
    text,
  )
}

/** Calls the API from the signed-in page, as the console does (session cookie, CSRF header on writes). */
export async function consoleApi<T>(page: Page, method: string, path: string, body?: unknown): Promise<T> {
  return page.evaluate(
    async (m, p, b) => {
      const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? ''
      const headers: Record<string, string> = {'x-csrf-token': csrf}
      if (b !== undefined) headers['content-type'] = 'application/json'
      const res = await fetch(p, {method: m, headers, body: b === undefined ? undefined : JSON.stringify(b)})
      const text = await res.text()
      if (!res.ok) throw new Error(`${m} ${p}: ${res.status} ${text}`)
      return (text ? JSON.parse(text) : undefined) as T
    },
    method,
    path,
    body,
  ) as Promise<T>
}
