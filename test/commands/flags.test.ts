import {strict as assert} from 'node:assert'

import {runCli} from '../support/run-cli.js'

/** Help text with line wrapping undone (oclif wraps at the terminal width). */
async function help(argv: string[]): Promise<string> {
  const r = await runCli([...argv, '--help'])
  assert.equal(r.exitCode, 0, r.stderr)
  assert.equal(r.stderr, '')
  return r.stdout.replace(/\s+/g, ' ')
}

const CLOUD_ONLY = ['--profile', '--api-url', '--refresh-token', '--fmt', '--noninteractive']

describe('which flags each kind of command has', () => {
  for (const argv of [
    ['node', 'backup'],
    ['node', 'generate'],
    ['node', 'restore'],
    ['node', 'verify'],
    ['local', 'status'],
    ['local', 'demo-data'],
    ['local', 'clusters', 'attach'],
  ]) {
    it(`esc ${argv.join(' ')} --help lists --debug and --json, and none of esc's cloud flags`, async () => {
      const text = await help(argv)
      for (const flag of CLOUD_ONLY) assert.ok(!text.includes(`${flag}`), `${flag} in: ${text}`)
      assert.ok(text.includes('--debug'), text)
      assert.ok(text.includes('--json'), text)
    })
  }

  for (const argv of [
    ['local', 'start'],
    ['local', 'stop'],
  ]) {
    it(`esc ${argv.join(' ')} --help lists --debug only (it prints no result to render as JSON)`, async () => {
      const text = await help(argv)
      // `local start --profile` is its own flag (the profile it writes), not the cloud's global one.
      const own = argv[1] === 'start' ? ['--profile'] : []
      for (const flag of [...CLOUD_ONLY, '--json'].filter((f) => !own.includes(f)))
        assert.ok(!text.includes(`${flag}`), `${flag} in: ${text}`)
      if (own.length > 0)
        assert.ok(text.includes('--profile=<value> [default: local] The profile of settings.toml to point at this local cloud'), text)
      assert.ok(text.includes('--debug'), text)
    })
  }

  it("a cloud command keeps all of esc's global flags", async () => {
    const text = await help(['mesdb', 'clusters', 'list'])
    for (const flag of [...CLOUD_ONLY, '--debug', '--json']) assert.ok(text.includes(flag), `${flag} missing: ${text}`)
    assert.ok(text.includes('--json Renders the classic ESC output as JSON (some differences from API)'), text)
  })

  it('a cloud flag given to a node command is refused as unknown (exit 2)', async () => {
    const r = await runCli(['node', 'verify', '/nonexistent', '--profile', 'x'])
    assert.equal(r.exitCode, 2)
    assert.match(r.stderr, /^Error: Nonexistent flag: --profile/)
  })
})

describe('typed flags: a bad value is a usage error at parse time', () => {
  const env = {ESC_ACCESS_TOKEN: 't', ESC_ORG_ID: 'o', ESC_PROJECT_ID: 'p'}

  it('a malformed --timeout: exit 2 and one line naming the flag, before any other check (here the missing --id)', async () => {
    const r = await runCli(['mesdb', 'backups', 'wait', '--timeout', '10'], {env})
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, "Error: Invalid --timeout '10': expected a number with a unit (ms, s, m or h), e.g. 90s, 15m, 2h or 1h30m\n")
    assert.equal(r.stdout, '')
  })

  it('a zero --timeout and a short --poll-interval say what the value must be', async () => {
    const zero = await runCli(['orchestrate', 'jobs', 'run', '--timeout', '0s'], {env})
    assert.equal(zero.exitCode, 2)
    assert.equal(zero.stderr, "Error: Invalid --timeout '0s': it must be longer than 0s\n")
    const short = await runCli(['mesdb', 'clusters', 'wait', '--poll-interval', '900ms'], {env})
    assert.equal(short.exitCode, 2)
    assert.equal(short.stderr, "Error: Invalid --poll-interval '900ms': it must be at least 1s, to spare the API\n")
  })

  it('a --poll-interval longer than --timeout is refused (exit 2)', async () => {
    const r = await runCli(['mesdb', 'backups', 'wait', '-i', 'b1', '--timeout', '10s', '--poll-interval', '30s'], {env})
    assert.equal(r.exitCode, 2)
    assert.equal(r.stderr, 'Error: --poll-interval 30s is longer than --timeout 10s; give a --poll-interval of at most 10s\n')
  })

  it('--timeout or --poll-interval without --wait is refused (exit 2); --retry-on-lock also takes --timeout', async () => {
    const run = await runCli(['orchestrate', 'jobs', 'run', '-i', 'j1', '--timeout', '10s'], {env})
    assert.equal(run.exitCode, 2)
    assert.equal(run.stderr, 'Error: --timeout applies only with --wait; add --wait or leave --timeout out\n')
    const poll = await runCli(['orchestrate', 'jobs', 'run', '-i', 'j1', '--poll-interval', '10s'], {env})
    assert.equal(poll.exitCode, 2)
    assert.equal(poll.stderr, 'Error: --poll-interval applies only with --wait; add --wait or leave --poll-interval out\n')
    const create = await runCli(['mesdb', 'backups', 'create', '--source-cluster-id', 'c1', '--description', 'd', '--timeout', '10s'], {
      env,
    })
    assert.equal(create.exitCode, 2)
    assert.equal(create.stderr, 'Error: --timeout applies only with --wait or --retry-on-lock; add one of them or leave --timeout out\n')
  })

  it('--no-truncate is a global flag of cloud commands (tables show long cells whole)', async () => {
    assert.ok((await help(['mesdb', 'backups', 'list'])).includes('--no-truncate'))
    assert.ok(!(await help(['node', 'verify'])).includes('--no-truncate'))
  })

  it('help shows the defaults as typed', async () => {
    const text = await help(['mesdb', 'backups', 'wait'])
    assert.ok(text.includes('--poll-interval=<value> [default: 5s]'), text)
    assert.ok(text.includes('--timeout=<value> [default: 60m]'), text)
    assert.ok((await help(['node', 'generate'])).includes('--chunk-size=<value> [default: 256MiB]'))
  })

  it('a bad size: exit 2 and one line naming the flag (local demo-data, checked before looking for a server)', async () => {
    const bad = await runCli(['local', 'demo-data', '--dir', '/nonexistent/esc-state', '--chunk-size', 'lots'])
    assert.equal(bad.exitCode, 2)
    assert.equal(bad.stderr, 'Error: --chunk-size "lots" is not a size; use e.g. 1MiB, 64KiB or 4096\n')
    const small = await runCli(['local', 'demo-data', '--dir', '/nonexistent/esc-state', '--chunk-size', '1KiB'])
    assert.equal(small.exitCode, 2)
    assert.equal(small.stderr, 'Error: --chunk-size "1KiB" is too small; use at least 4.0 KiB (4096)\n')
  })
})
