import {strict as assert} from 'node:assert'
import nock from 'nock'

import {formatRunTime} from '../../../src/lib/contract/schedule/next-runs.js'
import {loadConfig} from '../../support/run-cli.js'
import {API, capture, job, ORCHESTRATE, PROJECT, useCommandEnv} from '../mesdb/clusters/helpers.js'

const JOB = ['--description', 'My Hourly Backup', '--schedule', '0 */1 * * *']
const BACKUP = [
  '--description',
  '{cluster} Hourly Backup {datetime:RFC3339}',
  '--max-backup-count',
  '2',
  '--cluster-id',
  'c196ogto0aeqohe3ommq',
]
const DOCS = ['orchestrate', 'jobs', 'create', ...JOB, 'scheduled-backup', ...BACKUP]
const DOCS_BODY =
  '{"type":"ScheduledBackup","data":{"clusterId":"c196ogto0aeqohe3ommq","description":"{cluster} Hourly Backup {datetime:RFC3339}",' +
  '"maxBackupCount":2},"description":"My Hourly Backup","schedule":"0 */1 * * *"}'
const JOBS = `${ORCHESTRATE}/jobs`
const create = (...args: string[]) => ['orchestrate', 'jobs', 'create', ...args]

describe('esc orchestrate jobs create', () => {
  const {env, esc} = useCommandEnv()
  const withProject = () => ({...env(), ESC_PROJECT_ID: PROJECT})

  it('runs the docs command verbatim: each --description lands at its level, the template is sent unrendered', async () => {
    const post = capture({id: 'c1jobjobjob0aeu6ojco'})
    const scope = nock(API, {reqheaders: {authorization: 'Bearer tok'}})
      .post(JOBS)
      .reply(post.reply)
    const r = await esc(DOCS, {env: withProject()})
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, 'JobId("c1jobjobjob0aeu6ojco")\n')
    assert.equal(r.exitCode, 0)
    assert.deepEqual(post.bodies, [DOCS_BODY])
    assert.ok(scope.isDone())
  })

  it('warns on stderr when another active job on the same cluster fires at the same minute, and still creates the job', async () => {
    nock(API)
      .get(JOBS)
      .reply(200, {
        jobs: [
          job({id: 'j-nightly', description: 'Nightly', schedule: '0 3 * * *'}),
          job({id: 'j-elsewhere', schedule: '0 3 * * *', data: {clusterId: 'c-other', description: 'x', maxBackupCount: 1}}),
          job({id: 'j-gone', schedule: '0 3 * * *', status: 'deleted'}),
          job({id: 'j-offset', schedule: '30 */1 * * *'}),
        ],
      })
    nock(API).post(JOBS).reply(200, {id: 'c1jobjobjob0aeu6ojco'})
    const r = await esc(DOCS, {env: withProject()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stdout, 'JobId("c1jobjobjob0aeu6ojco")\n')
    // The command's clock starts at 2023-11-14T22:13:20Z.
    assert.equal(
      r.stderr,
      "Warning: job j-nightly ('Nightly') also backs up cluster c196ogto0aeqohe3ommq at the same minute (first at 2023-11-15 03:00 UTC); " +
        "runs that start together fail on the cluster lock. Offset one schedule by 15-30 minutes, e.g. --schedule '15 */1 * * *'\n",
    )
    assert.ok(nock.isDone())
  })

  it('creates the job without a warning when the job list cannot be read', async () => {
    nock(API).get(JOBS).reply(500, {})
    nock(API).post(JOBS).reply(200, {id: 'c1jobjobjob0aeu6ojco'})
    const r = await esc(DOCS, {env: withProject()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stderr, '')
  })

  it('accepts the short flags, = forms, --project-id and global flags on either side', async () => {
    const post = capture({id: 'j2'})
    nock(API).post(JOBS).reply(post.reply)
    const r = await esc(
      create(
        '--project-id',
        PROJECT,
        '--schedule=0 */1 * * *',
        '--description=My Hourly Backup',
        'scheduled-backup',
        '-d',
        '{cluster} Hourly Backup {datetime:RFC3339}',
        '-m',
        '2',
        '-c',
        'c196ogto0aeqohe3ommq',
        '--json',
      ),
      {env: env()},
    )
    assert.equal(r.stderr, '')
    assert.equal(r.stdout, '"j2"')
    assert.deepEqual(post.bodies, [DOCS_BODY])
  })

  it('sends a job label with brackets that are not tokens, and doubled braces, exactly as typed', async () => {
    const post = capture({id: 'j3'})
    nock(API).post(JOBS).reply(post.reply)
    const label = 'pre-upgrade <v24> a > b json {"k":1} {{index}} #{index}'
    const r = await esc(create(...JOB, 'scheduled-backup', '-d', label, '-m', '2', '-c', 'c1'), {env: withProject()})
    assert.equal(r.stderr, '')
    assert.equal(r.exitCode, 0)
    assert.equal(JSON.parse(post.bodies[0]).data.description, label)
  })

  it('--fmt api before the job type echoes the body and the response', async () => {
    nock(API).post(JOBS).reply(200, '{"id":"j3"}')
    const r = await esc(create('--fmt', 'api', ...JOB, 'scheduled-backup', ...BACKUP), {env: withProject()})
    assert.equal(r.stdout, `${DOCS_BODY}\n{"id":"j3"}\n`)
  })

  const usage: Array<[string, string[], RegExp]> = [
    [
      'a missing job type',
      create(...JOB),
      /^Error: Missing job type: add `scheduled-backup -d <backup description> -m <max backup count> -c <cluster id>` after the job's flags\n/,
    ],
    [
      'an unknown job type',
      create(...JOB, 'scheduled-restore', ...BACKUP),
      /^Error: Unknown job type 'scheduled-restore': the only job type is scheduled-backup\n/,
    ],
    [
      'a job type flag before the job type',
      create(...JOB, '-m', '2', 'scheduled-backup', '-d', 'x', '-c', 'c1'),
      /^Error: -m\/--max-backup-count belongs to the scheduled-backup job type: put it after `scheduled-backup`\n/,
    ],
    [
      'a job flag after the job type',
      create('--description', 'j', 'scheduled-backup', ...BACKUP, '--schedule', '0 * * * *'),
      /^Error: --schedule is a flag of the job: put it before `scheduled-backup`\n/,
    ],
    [
      'a missing job description',
      create('--schedule', '0 */1 * * *', 'scheduled-backup', ...BACKUP),
      /^Error: Missing --description before `scheduled-backup`: the job's description \(the one after scheduled-backup describes each backup\)\n/,
    ],
    [
      'a missing backup description',
      create(...JOB, 'scheduled-backup', '-m', '2', '-c', 'c1'),
      /^Error: Missing -d\/--description after `scheduled-backup`: each backup's description/,
    ],
    [
      'a missing schedule',
      create('--description', 'j', 'scheduled-backup', ...BACKUP),
      /^Error: Missing --schedule before `scheduled-backup`/,
    ],
    [
      'a missing max backup count',
      create(...JOB, 'scheduled-backup', '-d', 'x', '-c', 'c1'),
      /^Error: Missing -m\/--max-backup-count after `scheduled-backup`/,
    ],
    [
      'a missing cluster id',
      create(...JOB, 'scheduled-backup', '-d', 'x', '-m', '2'),
      /^Error: Missing -c\/--cluster-id after `scheduled-backup`/,
    ],
    [
      'a zero max backup count',
      create(...JOB, 'scheduled-backup', '-d', 'x', '-m', '0', '-c', 'c1'),
      /^Error: .*greater than or equal to 1/,
    ],
    ['an unknown flag', create(...JOB, 'scheduled-backup', ...BACKUP, '--keep', '3'), /^Error: .*--keep/],
    [
      'a schedule under an hour',
      create('--description', 'j', '--schedule', '*/30 * * * *', 'scheduled-backup', ...BACKUP),
      /^Error: Invalid schedule '\*\/30 \* \* \* \*': minute '\*\/30' runs backups 30 minutes apart; scheduled backups must be at least 60 minutes apart/,
    ],
    [
      'a schedule with a day of month',
      create('--description', 'j', '--schedule', '0 0 1 * *', 'scheduled-backup', ...BACKUP),
      /^Error: Invalid schedule '0 0 1 \* \*': day-of-month '1' must be '\*'/,
    ],
    [
      'an unknown label token',
      create(...JOB, 'scheduled-backup', '-d', '{clustr} backup', '-m', '2', '-c', 'c1'),
      /^Error: Unknown token 'clustr' in the label template \(did you mean 'cluster'\?\); valid tokens: index, cluster, datetime; write '\{\{' and '\}\}' for literal braces\n {2}\{clustr\} backup\n {3}\^{6}\n/,
    ],
    [
      'an unknown label format',
      create(...JOB, 'scheduled-backup', '-d', '{datetime:iso}', '-m', '2', '-c', 'c1'),
      /^Error: Unknown format 'iso' for token 'datetime' in the label template; valid formats: utc, rfc822, unix, json, rfc3339\n/,
    ],
  ]
  for (const [what, argv, message] of usage) {
    it(`refuses ${what} with exit 2 and sends nothing`, async () => {
      const r = await esc(argv, {env: withProject()})
      assert.match(r.stderr, message)
      assert.equal(r.exitCode, 2)
      assert.equal(r.stdout, '')
      assert.deepEqual(nock.pendingMocks(), [])
    })
  }

  it('--dry-run prints the body and the next 5 runs in UTC and local time, and sends nothing', async () => {
    // The virtual clock starts at 2023-11-14T22:13:20Z.
    const r = await esc([...DOCS, '--dry-run'], {env: withProject()})
    assert.equal(r.exitCode, 0)
    assert.equal(r.stderr, 'Dry run: nothing was sent.\n')
    const runs = ['2023-11-14T23:00:00Z', '2023-11-15T00:00:00Z', '2023-11-15T01:00:00Z', '2023-11-15T02:00:00Z', '2023-11-15T03:00:00Z']
    assert.equal(
      r.stdout,
      `POST ${JOBS}\n${JSON.stringify(JSON.parse(DOCS_BODY), null, 2)}\nNext 5 runs:\n` +
        runs.map((run) => `  ${formatRunTime(new Date(run))}\n`).join(''),
    )
  })

  it('--dry-run --json prints one JSON object', async () => {
    const r = await esc([...DOCS, '--dry-run', '--json'], {env: withProject()})
    const json = JSON.parse(r.stdout)
    assert.equal(json.dryRun, true)
    assert.equal(json.path, JOBS)
    assert.equal(JSON.stringify(json.body), DOCS_BODY)
    assert.equal(json.next5Runs.length, 5)
  })

  it('documents both levels in --help', async () => {
    const help = await commandHelp('orchestrate:jobs:create')
    assert.match(
      help.replace(/\s+/g, ' '),
      /\$ esc orchestrate jobs create \[--org-id <value>\] \[--project-id <value>\] --description <value> --schedule <value> scheduled-backup -d <value> -m <value> -c <value>/,
    )
    assert.match(help, /SCHEDULED-BACKUP FLAGS \(all required\)/)
    assert.match(help, /\n {2}-d, --description=<value> +Description to give each backup\n/)
    assert.match(help, /\n {2}-m, --max-backup-count=<value> +Max number of backups to keep\n/)
    assert.match(help, /\n {2}-c, --cluster-id=<value> +Id of the cluster you want to backup\n/)
    assert.match(help, /--schedule=<value> +\(required\) The schedule in semi-cron format/)
    assert.match(help, /--description=<value> +\(required\) A human-readable description of the job/)
  })
})

/** What `esc <id> --help` prints (oclif's Help, in-process; runCli does not route --help). */
async function commandHelp(id: string): Promise<string> {
  const {Help} = await import('@oclif/core')
  const config = await loadConfig()
  const command = config.findCommand(id)
  assert.ok(command)
  let text = ''
  const help = new Help(config, {stripAnsi: true})
  const write = process.stdout.write
  process.stdout.write = ((chunk: string) => {
    text += chunk
    return true
  }) as typeof process.stdout.write
  try {
    await help.showCommandHelp(command)
  } finally {
    process.stdout.write = write
  }
  return text
}
