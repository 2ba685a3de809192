/// <reference lib="dom" />
// The page-side callbacks passed to puppeteer run in the browser.
import {strict as assert} from 'node:assert'

import type {Browser, Page} from 'puppeteer-core'

import {assertBuilt, type RunningCloud, sandbox, type Sandbox, startCloud, stopCloud} from '../e2e/support.js'
import {assertAccessible, consoleApi, credentialsFromBanner, launchBrowser, openView, signIn, waitForText} from './browser.js'

/** The projects switcher: every view follows the chosen project, and the URL keeps the choice. */
describe('console: projects switcher in a real browser', function () {
  this.timeout(120_000)
  let box: Sandbox
  let cloud: RunningCloud
  let browser: Browser
  let page: Page
  const pageErrors: string[] = []

  before(async () => {
    assertBuilt()
    box = await sandbox()
    cloud = await startCloud(box)
    const demo = await box.esc(['local', 'demo-data', '--dir', box.stateDir, '--chunks', '1', '--chunk-size', '65536'])
    assert.equal(demo.code, 0, demo.stderr)
    browser = await launchBrowser()
    page = await browser.newPage()
    await page.setViewport({width: 1280, height: 800})
    await page.setBypassCSP(true)
    page.on('pageerror', (error) => pageErrors.push(String(error)))
    await signIn(page, cloud.url, credentialsFromBanner(cloud.banner))
  })
  after(async () => {
    await browser?.close()
    if (cloud) await stopCloud(cloud)
    await box?.cleanup()
  })
  afterEach(() => assert.deepEqual(pageErrors, [], 'errors in the page'))

  const selected = () => page.$eval('#project', (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? '')

  it('switches to a second project created through the API, shows its empty views, keeps it on reload, and switches back', async () => {
    await waitForText(page, 'tbody th', 'Demo cluster')
    const status = await consoleApi<{organizationId: string; projectId: string}>(page, 'GET', '/local/v1/status')
    const {id: second} = await consoleApi<{id: string}>(page, 'POST', `/resources/v1/organizations/${status.organizationId}/projects`, {
      name: 'Second project',
    })
    // The list is read when the page loads.
    await page.reload()
    await page.waitForSelector('#project option:nth-child(2)')
    const label = await page.$eval('label[for=project]', (l) => l.textContent)
    assert.equal(label, 'Project')
    await page.select('#project', second)
    await waitForText(page, 'main', 'No clusters yet')
    assert.equal(new URL(page.url()).searchParams.get('project'), second)
    assert.equal(await selected(), 'Second project')
    await openView(page, 'Backups')
    await waitForText(page, 'main', 'No backups')
    assert.equal(new URL(page.url()).searchParams.get('project'), second)
    await page.reload()
    await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'Backups')
    await waitForText(page, 'main', 'No backups')
    assert.equal(await selected(), 'Second project')
    await openView(page, 'Jobs')
    await waitForText(page, 'main', 'No jobs yet')
    await openView(page, 'Integrations')
    await waitForText(page, 'main', 'No integrations')
    await assertAccessible(page, 'projects switcher')

    await page.select('#project', status.projectId)
    await openView(page, 'Clusters')
    await waitForText(page, 'tbody th', 'Demo cluster')
    assert.equal(new URL(page.url()).searchParams.get('project'), status.projectId)
  })
})
