import {strict as assert} from 'node:assert'
import {createHmac, timingSafeEqual} from 'node:crypto'
import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {repoRoot} from '../support/run-cli.js'

/** The README's section on notifications: its verification snippet and its sample webhook message. */
function readmeSection() {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('## Notifications of failed backups'), readme.indexOf('## Configuration'))
  const snippet = /```js\n([\s\S]*?)```/.exec(section)![1]
  const sample = /X-Esc-Signature: (t=\S+)\n\n(.*)\n```/.exec(section)!
  return {snippet, header: sample[1], body: sample[2]}
}

/** Runs the README's snippet as written (its import supplied), with the clock at `nowMs`; returns `ok`. */
function runSnippet(snippet: string, values: {header: string; body: string; secret: string}, nowMs: number): boolean {
  const code = snippet.replace(/^import .*\n/, '')
  const date = {now: () => nowMs}
  const run = new Function('createHmac', 'timingSafeEqual', 'Date', 'header', 'body', 'secret', `${code}\nreturn ok`)
  return run(createHmac, timingSafeEqual, date, values.header, values.body, values.secret) as boolean
}

describe('README: verifying a webhook signature', () => {
  it("the README's six lines verify its sample message with the sample's secret, and refuse a wrong secret, a changed body, an old t", () => {
    const {snippet, header, body} = readmeSection()
    assert.equal(snippet.trim().split('\n').length, 6)
    const t = Number(/t=(\d+)/.exec(header)![1]) * 1000
    const secret = 'whsec-e2e-0123456789'
    assert.equal(runSnippet(snippet, {header, body, secret}, t + 1000), true)
    assert.equal(runSnippet(snippet, {header, body, secret: 'whsec-wrong'}, t + 1000), false)
    assert.equal(runSnippet(snippet, {header, body: body.replace('nightly', 'Nightly'), secret}, t + 1000), false)
    assert.equal(runSnippet(snippet, {header, body, secret}, t + 3_600_000), false)
  })
})
