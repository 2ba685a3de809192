/// <reference lib="dom" />
// The page-side callbacks passed to puppeteer run in the browser.
import {strict as assert} from 'node:assert'

import type {Browser, Page} from 'puppeteer-core'

import {assertBuilt, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud} from '../e2e/support.js'
import {assertAccessible, consoleApi, credentialsFromBanner, launchBrowser, openView, signIn, waitForText} from './browser.js'

/** The console's delete confirmations, integration edits and the restore form's target project and network. */
describe('console: actions in a real browser', function () {
  this.timeout(120_000)
  let box: Sandbox
  let cloud: RunningCloud
  let browser: Browser
  let page: Page
  let clusterId: string
  let org: string
  let project: string
  const dialogs: string[] = []
  const pageErrors: string[] = []

  before(async () => {
    assertBuilt()
    box = await sandbox()
    cloud = await startCloud(box)
    const demo = await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--chunks', '1', '--chunk-size', '65536'])
    assert.equal(demo.code, 0, demo.stderr)
    clusterId = demo.stdout.trim()
    browser = await launchBrowser()
    page = await browser.newPage()
    await page.setViewport({width: 1280, height: 800})
    await page.setBypassCSP(true)
    page.on('pageerror', (error) => pageErrors.push(String(error)))
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    await signIn(page, cloud.url, credentialsFromBanner(cloud.banner))
    const status = await consoleApi<{organizationId: string; projectId: string}>(page, 'GET', '/local/v1/status')
    org = status.organizationId
    project = status.projectId
  })
  after(async () => {
    await browser?.close()
    if (cloud) await stopCloud(cloud)
    await box?.cleanup()
  })
  afterEach(() => {
    assert.deepEqual(pageErrors, [], 'errors in the page')
    assert.deepEqual(dialogs, [], 'no window.confirm/alert: the console asks in its own dialog')
  })

  const focusedText = () => page.evaluate(() => document.activeElement?.textContent ?? '')

  it('deletes a job through a keyboard-usable confirmation dialog; Escape cancels', async () => {
    await consoleApi(page, 'POST', `/orchestrate/v1/organizations/${org}/projects/${project}/jobs`, {
      type: 'ScheduledBackup',
      data: {clusterId, description: 'doomed job', maxBackupCount: 2},
      description: 'doomed job',
      schedule: '0 3 * * *',
    })
    await openView(page, 'Jobs')
    await waitForText(page, 'tbody th', 'doomed job')
    await page.locator('tbody ::-p-aria(Delete)').click()
    await page.waitForSelector('dialog[open]')
    assert.equal(await page.$eval('dialog[open] h2', (h) => h.textContent), 'Delete the job "doomed job"?')
    // The safe choice has the focus.
    assert.equal(await focusedText(), 'Cancel')
    await assertAccessible(page, 'delete job dialog')
    await page.keyboard.press('Escape')
    await page.waitForFunction(() => !document.querySelector('dialog[open]'))
    await waitForText(page, 'tbody th', 'doomed job')

    await page.locator('tbody ::-p-aria(Delete)').click()
    await page.waitForSelector('dialog[open]')
    await page.keyboard.press('Tab')
    assert.equal(await focusedText(), 'Delete job')
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => !document.querySelector('dialog[open]'))
    await waitForText(page, 'main', 'No jobs yet')
  })

  it("updates an integration's description and deletes it after confirming", async () => {
    await consoleApi(page, 'POST', `/integrate/v1/organizations/${org}/projects/${project}/integrations`, {
      data: {sink: 'webhook', url: 'http://127.0.0.1:9/hook'},
      description: 'Old hook',
    })
    await openView(page, 'Integrations')
    await waitForText(page, 'tbody th', 'Old hook')
    await page.locator('tbody ::-p-aria(Edit)').click()
    const description = page.locator('.panel ::-p-aria(Description)')
    await page.waitForSelector('#edit-integration-description')
    assert.equal(await page.$eval('#edit-integration-description', (e) => (e as HTMLInputElement).value), 'Old hook')
    await description.fill('Renamed hook')
    await assertAccessible(page, 'edit integration')
    await page.locator('.panel ::-p-aria(Save[role="button"])').click()
    await waitForText(page, 'tbody th', 'Renamed hook')
    const stored = await consoleApi<{integrations: Array<{description: string}>}>(
      page,
      'GET',
      `/integrate/v1/organizations/${org}/projects/${project}/integrations`,
    )
    assert.deepEqual(
      stored.integrations.map((i) => i.description),
      ['Renamed hook'],
    )

    await page.locator('tbody ::-p-aria(Delete)').click()
    await page.waitForSelector('dialog[open]')
    assert.equal(await page.$eval('dialog[open] h2', (h) => h.textContent), 'Delete the integration "Renamed hook"?')
    await assertAccessible(page, 'delete integration dialog')
    await page.locator('dialog[open] ::-p-aria(Delete integration)').click()
    await waitForText(page, 'main', 'No integrations yet')
  })

  it('restores into another project and network: networks of the chosen project, provider and region checked against the backup', async () => {
    const source = (
      await consoleApi<{cluster: {provider: string; region: string}}>(
        page,
        'GET',
        `/mesdb/v1/organizations/${org}/projects/${project}/clusters/${clusterId}`,
      )
    ).cluster
    const {id: target} = await consoleApi<{id: string}>(page, 'POST', `/resources/v1/organizations/${org}/projects`, {
      name: 'Restore target',
    })
    const network = (description: string, region: string) =>
      consoleApi<{id: string}>(page, 'POST', `/infra/v1/organizations/${org}/projects/${target}/networks`, {
        description,
        provider: source.provider,
        region,
        publicAccess: false,
      })
    const elsewhere = await network('Elsewhere net', source.provider === 'aws' && source.region !== 'us-east-1' ? 'us-east-1' : 'us-west-2')
    const good = await network('Same region net', source.region)
    await page.waitForFunction(
      async (o, p) => {
        const res = await fetch(`/infra/v1/organizations/${o}/projects/${p}/networks`)
        return ((await res.json()).networks as Array<{status: string}>).every((n) => n.status === 'available')
      },
      {polling: 250, timeout: 30_000},
      org,
      target,
    )
    const made = await box.esc(['mesdb', 'backups', 'create', '--source-cluster-id', clusterId, '--description', 'to move'])
    assert.equal(made.code, 0, made.stderr)
    await openView(page, 'Backups')
    await waitForText(page, 'tbody tr .badge-available', 'available')
    await page.locator('::-p-aria(Restore to move)').click()
    await waitForText(page, '.panel', `${source.provider} / ${source.region}`)
    // The form reads the projects when it opens: choose only once the target is offered.
    await page.waitForSelector(`#restore-projectId option[value="${target}"]`)
    await page.select('#restore-projectId', target)
    await page.waitForSelector(`#restore-networkId option[value="${good.id}"]`)
    await page.select('#restore-networkId', elsewhere.id)
    await page.locator('#restore-description').fill('Moved by console')
    await page.locator('.panel ::-p-aria(Restore[role="button"])').click()
    await waitForText(page, '#restore-networkId-error', `the backup's is ${source.region}`)
    await assertAccessible(page, 'restore form')
    await page.select('#restore-networkId', good.id)
    await page.locator('.panel ::-p-aria(Restore[role="button"])').click()
    await waitForText(page, '.restore-progress', 'available', 60_000)
    const moved = await consoleApi<{clusters: Array<{description: string; networkId: string}>}>(
      page,
      'GET',
      `/mesdb/v1/organizations/${org}/projects/${target}/clusters`,
    )
    assert.deepEqual(
      moved.clusters.map((c) => [c.description, c.networkId]),
      [['Moved by console', good.id]],
    )
  })
})
