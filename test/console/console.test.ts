/// <reference lib="dom" />
// The page-side callbacks passed to puppeteer run in the browser.
import {strict as assert} from 'node:assert'
import {mkdir, rm, writeFile} from 'node:fs/promises'
import {createServer} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import type {Browser, Page} from 'puppeteer-core'

import {assertBuilt, localIds, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud} from '../e2e/support.js'
import {assertAccessible, credentialsFromBanner, launchBrowser, openView, screenshot, signIn, waitForText} from './browser.js'

/** The console in headless Chromium against a real local cloud with a live writer. */
describe('console: in a real browser', function () {
  this.timeout(120_000)
  let box: Sandbox
  let cloud: RunningCloud
  let browser: Browser
  let page: Page
  let clusterId: string
  let projectId: string
  const dialogs: string[] = []
  const pageErrors: string[] = []

  before(async () => {
    assertBuilt()
    box = await sandbox()
    cloud = await startCloud(box)
    projectId = (await localIds(box)).projectId
    const demo = await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--chunks', '2', '--chunk-size', '262144'])
    assert.equal(demo.code, 0, demo.stderr)
    clusterId = demo.stdout.trim()
    browser = await launchBrowser()
    page = await browser.newPage()
    await page.setViewport({width: 1280, height: 800})
    page.setDefaultTimeout(60_000)
    await page.setBypassCSP(true)
    page.on('pageerror', (error) => pageErrors.push(String(error)))
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.accept()
    })
  })
  after(async () => {
    await browser?.close()
    if (cloud) await stopCloud(cloud)
    await box?.cleanup()
  })

  afterEach(async function () {
    assert.deepEqual(pageErrors, [], 'errors in the page')
    if (this.currentTest?.state === 'failed' && page)
      await screenshot(page, `failed-${this.currentTest.title.slice(0, 40).replace(/\W+/g, '-')}`)
  })

  const clusterRow = (id: string) => `tr[data-id="${id}"]`

  it('signs in with the credentials esc local start printed and shows the clusters', async () => {
    await signIn(page, cloud.url, credentialsFromBanner(cloud.banner))
    await waitForText(page, clusterRow(clusterId), 'Demo cluster')
    await waitForText(page, clusterRow(clusterId), 'never — late')
    const cookies = await browser.cookies()
    const session = cookies.find((c) => c.name === 'esc_console')!
    assert.equal(session.httpOnly, true)
    assert.equal(session.sameSite, 'Strict')
    assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0])
    await assertAccessible(page, 'clusters')
  })

  it('works with the keyboard alone: Tab reaches the actions, with a visible focus; Enter opens a form, Escape closes it', async () => {
    await page.goto(`${cloud.url}/clusters`)
    await waitForText(page, clusterRow(clusterId), 'Demo cluster')
    let focused = ''
    for (let i = 0; i < 20 && focused !== 'Create backup'; i++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate(() => document.activeElement?.textContent ?? '')
    }
    assert.equal(focused, 'Create backup')
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)
    assert.notEqual(outline, 'none')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => document.activeElement?.tagName === 'H2')
    assert.match(await page.evaluate(() => document.activeElement!.textContent ?? ''), /^Create backup of Demo cluster$/)
    await page.keyboard.press('Escape')
    await page.waitForFunction(() => !document.querySelector('.panel'))
  })

  it('creates a backup from a label template with a live preview, and sees it become available', async () => {
    await page.locator(`${clusterRow(clusterId)} ::-p-aria(Create backup)`).click()
    const template = page.locator('::-p-aria(Label template)')
    await template.fill('{cluster} nightly {index}')
    await waitForText(page, '#label-preview', 'Preview: Demo cluster nightly 1')
    await template.fill('{nope}')
    await waitForText(page, '#label-error', 'nope')
    await template.fill('{cluster} nightly {index}')
    await assertAccessible(page, 'create backup')
    await screenshot(page, 'create-backup')
    await page.locator('.panel ::-p-aria(Create backup[role="button"])').click()
    await openView(page, 'Backups')
    await waitForText(page, 'tbody tr', 'Demo cluster nightly 1')
    await waitForText(page, 'tbody tr .badge-available', 'available')
    await openView(page, 'Clusters')
    await waitForText(page, clusterRow(clusterId), 'ago')
    assert.equal(await page.$eval(`${clusterRow(clusterId)} td.fresh`, (e) => e.textContent?.includes('late')), false)
    await screenshot(page, 'clusters')
  })

  it('creates a schedule checked as typed, runs it three times, groups its backups and prunes the oldest', async function () {
    this.timeout(480_000)
    await page.locator(`${clusterRow(clusterId)} ::-p-aria(Create backup schedule)`).click()
    await page.locator('::-p-aria(Description)').fill('sched {index}')
    const schedule = page.locator('::-p-aria(Schedule \\(cron, UTC\\))')
    await schedule.fill('* * * * *')
    await waitForText(page, '#job-schedule-check', 'minute')
    assert.equal(await page.$eval('.panel button[type=submit]', (b) => (b as HTMLButtonElement).disabled), true)
    await schedule.fill('0 3 * * *')
    await page.waitForFunction(() => document.querySelectorAll('#job-schedule-check li').length === 5)
    await waitForText(page, '#job-schedule-check li', '03:00 UTC')
    await page.locator('::-p-aria(Max backup count)').fill('2')
    await screenshot(page, 'create-schedule')
    await page.locator('.panel ::-p-aria(Create schedule)').click()
    await waitForText(page, '[role=status]', 'Created job')

    await openView(page, 'Jobs')
    await waitForText(page, 'tbody th', 'sched {index}')
    await waitForText(page, 'tbody td', 'every day at 03:00 UTC')
    // Runs by "Run now", never by the clock. Each run waits for one condition on the row as a
    // whole (this run counted, none running, the last outcome succeeded), which an older poll's
    // answer or an earlier run's badge cannot satisfy; the timeout is generous for a loaded machine.
    for (let run = 1; run <= 3; run++) {
      await page.locator('::-p-aria(Run now)').click()
      await page.waitForFunction(
        (n) => {
          const row = document.querySelector('table > tbody[data-id]')
          if (!row) return false
          const buttons = Array.from(row.querySelectorAll('button')).map((b) => b.textContent?.trim())
          const outcome = row.querySelector('tr > td .badge')?.textContent
          return buttons.includes(`History (${n})`) && !row.querySelector('.badge-running') && outcome === 'succeeded'
        },
        {polling: 100, timeout: 120_000},
        run,
      )
    }
    await page.locator('::-p-aria(History \\(3\\))').click()
    await page.waitForFunction(() => document.querySelectorAll('table.history tbody tr').length === 3)
    await assertAccessible(page, 'jobs')
    await screenshot(page, 'jobs')

    await openView(page, 'Backups')
    await waitForText(page, 'tbody.job-group', '2 backups')
    const expander = await page.waitForSelector('tbody.job-group button.expander')
    await expander!.focus()
    await page.keyboard.press('Enter')
    await waitForText(page, 'tbody.job-group tr.nested', 'sched 4')
    const nested = await page.$$eval('tbody.job-group tr.nested th', (ths) => ths.map((th) => th.firstChild?.textContent))
    assert.deepEqual(nested, ['sched 4', 'sched 3'])
    assert.equal(await page.$eval('tbody.job-group button.expander', (b) => b.getAttribute('aria-expanded')), 'true')
    await assertAccessible(page, 'backups')
    await screenshot(page, 'backups')
  })

  it('a backup that fails shows defunct, with its reason on hover and in the detail', async () => {
    const db = join(box.root, 'gone-node')
    await mkdir(db, {recursive: true})
    await writeFile(join(db, 'writer.chk'), Buffer.alloc(8))
    await writeFile(join(db, 'chaser.chk'), Buffer.alloc(8))
    const attached = await box.esc(['local', 'clusters', 'attach', '--dir', box.stateDir, '--db', db, '--description', 'Vanishing node'])
    assert.equal(attached.code, 0, attached.stderr)
    await rm(db, {recursive: true, force: true})
    await openView(page, 'Clusters')
    await waitForText(page, 'tbody th', 'Vanishing node')
    const vanishing = await page.$$eval('tbody tr', (rows) =>
      rows.find((r) => r.textContent?.includes('Vanishing node'))?.getAttribute('data-id'),
    )
    await page.locator(`${clusterRow(vanishing!)} ::-p-aria(Create backup)`).click()
    await page.locator('::-p-aria(Label template)').fill('doomed')
    await page.locator('.panel ::-p-aria(Create backup[role="button"])').click()
    await openView(page, 'Backups')
    await waitForText(page, 'tr .badge-defunct', 'defunct')
    const title = await page.$eval('tr .badge-defunct', (e) => e.getAttribute('title'))
    assert.ok(title && title.length > 0)
    await page.locator('tr .reason summary').click()
    const reason = await page.$eval('tr .reason span', (e) => e.textContent)
    assert.equal(reason, title)
  })

  it('restores an available backup through the form, validated first, and follows the new cluster', async () => {
    await openView(page, 'Backups')
    await page.locator('::-p-aria(Restore Demo cluster nightly 1)').click()
    assert.equal(await page.$eval('#restore-diskSizeGb', (e) => (e as HTMLInputElement).value), await diskOf(clusterId))
    assert.equal(await page.$eval('#restore-topology', (e) => (e as HTMLSelectElement).value), 'single-node')
    await page.locator('#restore-diskSizeGb').fill('1')
    await page.locator('.panel ::-p-aria(Restore[role="button"])').click()
    await waitForText(page, '#restore-diskSizeGb-error', 'at least')
    await page.locator('#restore-diskSizeGb').fill(await diskOf(clusterId))
    await page.locator('#restore-description').fill('Restored from console')
    await screenshot(page, 'restore')
    await page.locator('.panel ::-p-aria(Restore[role="button"])').click()
    await waitForText(page, '.restore-progress', 'available', 60_000)
    await openView(page, 'Clusters')
    await waitForText(page, 'tbody th', 'Restored from console')
  })

  it('renders a description as text: <img src=x onerror=alert(1)> shows those characters and runs nothing', async () => {
    const xss = '<img src=x onerror=alert(1)>'
    await page.locator(`${clusterRow(clusterId)} ::-p-aria(Create backup)`).click()
    await page.locator('::-p-aria(Label template)').fill(xss)
    await waitForText(page, '#label-preview', xss)
    await page.locator('.panel ::-p-aria(Create backup[role="button"])').click()
    await openView(page, 'Backups')
    await waitForText(page, 'tbody th', xss)
    assert.equal(await page.$('main img'), null)
    assert.deepEqual(dialogs, [])
  })

  it('creates a webhook integration, sends a test and shows it in the delivery log', async () => {
    const received: string[] = []
    const receiver = createServer((req, res) => {
      req.on('data', (d) => received.push(String(d)))
      req.on('end', () => res.writeHead(204).end())
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    try {
      await openView(page, 'Integrations')
      await page.locator('::-p-aria(Create integration)').click()
      await page.locator('::-p-aria(Description)').fill('Ops hook')
      await page.locator('::-p-aria(URL)').fill(`http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`)
      await assertAccessible(page, 'create integration')
      await page.locator('.panel ::-p-aria(Create integration[role="button"])').click()
      await waitForText(page, 'tbody th', 'Ops hook')
      await page.locator('::-p-aria(Send test)').click()
      await waitForText(page, '[role=status]', 'Test delivered to Ops hook.')
      assert.equal(received.length > 0, true)
      await page.locator('::-p-aria(Delivery log)').click()
      await waitForText(page, '.panel tbody td', 'delivered')
      await assertAccessible(page, 'integrations')
      await screenshot(page, 'integrations')
    } finally {
      receiver.close()
    }
  })

  it('signs out: every page redirects to sign-in and every API call is refused, also with the old cookie', async () => {
    const old = (await browser.cookies()).find((c) => c.name === 'esc_console')!.value
    await Promise.all([page.waitForNavigation(), page.locator('::-p-aria(Sign out)').click()])
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    await assertAccessible(page, 'sign-in')
    await screenshot(page, 'sign-in')
    for (const path of ['/', '/clusters', '/backups', '/jobs', '/integrations']) {
      await page.goto(`${cloud.url}${path}`)
      assert.equal(new URL(page.url()).pathname, '/sign-in', path)
    }
    const status = await page.evaluate(async (p) => (await fetch(`/mesdb/v1/organizations/x/projects/${p}/backups`)).status, projectId)
    assert.equal(status, 401)
    for (const path of ['/local/v1/status', `/mesdb/v1/organizations/o/projects/${projectId}/clusters`]) {
      const res = await fetch(`${cloud.url}${path}`, {headers: {cookie: `esc_console=${old}`}})
      assert.equal(res.status, 401, path)
    }
    const pageRes = await fetch(`${cloud.url}/backups`, {headers: {cookie: `esc_console=${old}`}, redirect: 'manual'})
    assert.equal(pageRes.status, 302)
  })

  async function diskOf(id: string): Promise<string> {
    return page.evaluate(
      async (cid, p) => {
        const status = await (await fetch('/local/v1/status')).json()
        const res = await fetch(`/mesdb/v1/organizations/${status.organizationId}/projects/${p}/clusters/${cid}`)
        return String((await res.json()).cluster.diskSizeGb)
      },
      id,
      projectId,
    )
  }
})
