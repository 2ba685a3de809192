import {strict as assert} from 'node:assert'

import {UsageError} from '../../../../src/lib/core/errors.js'
import {exitCodeOf, ExitCode} from '../../../../src/lib/cli/error-exit.js'
import {JobArgvLevels, splitJobArgv} from '../../../../src/lib/contract/schedule/index.js'

const levels: JobArgvLevels = {
  parent: {'org-id': {type: 'option'}, 'project-id': {type: 'option'}, description: {type: 'option'}, schedule: {type: 'option'}},
  child: {
    description: {type: 'option', char: 'd'},
    'max-backup-count': {type: 'option', char: 'm'},
    'cluster-id': {type: 'option', char: 'c'},
  },
  global: {json: {type: 'boolean'}, fmt: {type: 'option'}, debug: {type: 'boolean'}},
}

const docs = [
  '--description',
  'My Hourly Backup',
  '--schedule',
  '0 */1 * * *',
  'scheduled-backup',
  '--description',
  '{cluster} Hourly Backup {datetime:RFC3339}',
  '--max-backup-count',
  '2',
  '--cluster-id',
  'c196ogto0aeqohe3ommq',
]

function refusal(argv: string[]): UsageError {
  try {
    splitJobArgv(argv, levels)
  } catch (error) {
    assert.ok(error instanceof UsageError)
    assert.equal(exitCodeOf(error), ExitCode.Usage)
    return error
  }
  assert.fail(`${argv.join(' ')} should be refused`)
}

describe('schedule: jobs create argv split', () => {
  it('splits the docs command at the job type', () => {
    assert.deepEqual(splitJobArgv(docs, levels), {
      parentArgv: docs.slice(0, 4),
      jobType: 'scheduled-backup',
      childArgv: docs.slice(5),
    })
  })

  it('does not take a flag value for the job type', () => {
    const argv = ['--description', 'scheduled-backup', '--schedule=0 * * * *', 'scheduled-backup', '-d', 'x']
    const split = splitJobArgv(argv, levels)
    assert.deepEqual(split.parentArgv, argv.slice(0, 3))
    assert.deepEqual(split.childArgv, ['-d', 'x'])
  })

  it('accepts global flags on both sides', () => {
    const split = splitJobArgv(['--fmt', 'api', '--description', 'j', 'scheduled-backup', '--json', '-c', 'c1'], levels)
    assert.deepEqual(split.parentArgv, ['--fmt', 'api', '--description', 'j'])
    assert.deepEqual(split.childArgv, ['--json', '-c', 'c1'])
  })

  it('accepts -- before the job type', () => {
    assert.deepEqual(splitJobArgv(['--schedule', '0 * * * *', '--', 'scheduled-backup', '-m', '2'], levels).childArgv, ['-m', '2'])
  })

  it('asks for the job type when it is missing', () => {
    assert.match(
      refusal(['--description', 'j', '--schedule', '0 * * * *']).message,
      /^Missing job type: add `scheduled-backup -d <backup description> -m <max backup count> -c <cluster id>` after the job's flags$/,
    )
    assert.match(refusal([]).message, /^Missing job type/)
  })

  it('says where the job type goes when only its flags are there', () => {
    assert.equal(
      refusal(['--description', 'j', '-m', '2', '--cluster-id', 'c1']).message,
      'Missing job type: -m is a flag of the job type: write `scheduled-backup` before it',
    )
  })

  it('refuses an unknown job type', () => {
    const error = refusal(['--description', 'j', 'scheduled-restore', '-c', 'c1'])
    assert.equal(error.message, "Unknown job type 'scheduled-restore': the only job type is scheduled-backup")
  })

  it('refuses job type flags before the job type', () => {
    assert.equal(
      refusal(['--max-backup-count', '2', '--description', 'j', 'scheduled-backup', '-c', 'c1']).message,
      '-m/--max-backup-count belongs to the scheduled-backup job type: put it after `scheduled-backup`',
    )
    assert.match(refusal(['-c', 'c1', 'scheduled-backup']).message, /^-c\/--cluster-id belongs to the scheduled-backup job type/)
    assert.match(refusal(['-d', 'x', 'scheduled-backup']).message, /^-d\/--description belongs to/)
  })

  it('refuses job flags after the job type', () => {
    assert.equal(
      refusal(['--description', 'j', 'scheduled-backup', '-c', 'c1', '--schedule', '0 * * * *']).message,
      '--schedule is a flag of the job: put it before `scheduled-backup`',
    )
    assert.match(refusal(['scheduled-backup', '--project-id=p1']).message, /^--project-id is a flag of the job/)
  })
})
