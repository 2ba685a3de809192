import {UsageError} from '../../core/errors.js'

/**
 * esc's `orchestrate jobs create` has two levels of flags (clap subcommand scoping):
 *   jobs create [--org-id] [--project-id] --description <job> --schedule <cron> \
 *     scheduled-backup -d/--description <label> -m/--max-backup-count <n> -c/--cluster-id <id>
 * oclif has no subcommand with its own flags, so the command splits its argv at the job type and
 * parses each half against its own flag set. This module does the split and the level checks.
 */

export const JOB_TYPES = ['scheduled-backup'] as const
export type JobTypeName = (typeof JOB_TYPES)[number]

/** What the splitter must know about a flag set: which long/short names take a value. */
export interface FlagShape {
  [name: string]: {type: 'boolean' | 'option'; char?: string}
}

export interface JobArgvLevels {
  /** Flags of the job itself (all global flags are accepted at both levels). */
  parent: FlagShape
  /** Flags of the job type. */
  child: FlagShape
  /** Global flags (--fmt, --json…), allowed on either side. */
  global: FlagShape
}

export interface SplitJobArgv {
  parentArgv: string[]
  jobType: JobTypeName
  childArgv: string[]
}

const CHILD_USAGE = 'scheduled-backup -d <backup description> -m <max backup count> -c <cluster id>'

interface FlagToken {
  index: number
  /** `--name` or `-c` as typed, without `=value`. */
  spelled: string
}

function lookup(shape: FlagShape, spelled: string): string | undefined {
  if (spelled.startsWith('--')) return Object.hasOwn(shape, spelled.slice(2)) ? spelled.slice(2) : undefined
  return Object.keys(shape).find((name) => shape[name].char === spelled.slice(1))
}

/**
 * Walks argv, skipping flag values, and returns the flags met before the first bare word (and that
 * word's index). Values are consumed for any flag known at either level, so `--description
 * scheduled-backup` is a description, not the job type.
 */
function scan(argv: string[], shapes: FlagShape[]): {flags: FlagToken[]; wordIndex: number} {
  const flags: FlagToken[] = []
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]
    if (arg === '--') return {flags, wordIndex: i + 1 < argv.length ? i + 1 : -1}
    if (!arg.startsWith('-') || arg === '-') return {flags, wordIndex: i}
    const spelled = arg.startsWith('--') ? arg.split('=')[0] : arg.slice(0, 2)
    flags.push({index: i, spelled})
    const attached = arg.startsWith('--') ? arg.includes('=') : arg.length > 2
    const takesValue = shapes.some((shape) => {
      const name = lookup(shape, spelled)
      return name !== undefined && shape[name].type === 'option'
    })
    if (takesValue && !attached) i++
  }
  return {flags, wordIndex: -1}
}

function displayName(shape: FlagShape, name: string): string {
  return shape[name].char ? `-${shape[name].char}/--${name}` : `--${name}`
}

/**
 * Splits `jobs create` argv into the job's flags, the job type and the job type's flags. Throws a
 * UsageError (exit 2) for a missing or unknown job type and for a flag given at the wrong level.
 */
export function splitJobArgv(argv: string[], levels: JobArgvLevels): SplitJobArgv {
  const {flags, wordIndex} = scan(argv, [levels.parent, levels.child, levels.global])
  const childOnly = (spelled: string) => lookup(levels.child, spelled) !== undefined && lookup(levels.parent, spelled) === undefined
  const misplacedBefore = flags.find((f) => childOnly(f.spelled) && lookup(levels.global, f.spelled) === undefined)

  if (wordIndex === -1) {
    const hint = misplacedBefore
      ? `${misplacedBefore.spelled} is a flag of the job type: write \`scheduled-backup\` before it`
      : `add \`${CHILD_USAGE}\` after the job's flags`
    throw new UsageError(`Missing job type: ${hint}`, {suggestions: ['See `esc orchestrate jobs create --help`']})
  }
  const word = argv[wordIndex]
  if (!(JOB_TYPES as readonly string[]).includes(word)) {
    throw new UsageError(`Unknown job type '${word}': the only job type is scheduled-backup`, {
      suggestions: [`Usage: esc orchestrate jobs create --description <job description> --schedule <cron> ${CHILD_USAGE}`],
    })
  }
  if (misplacedBefore) {
    const name = lookup(levels.child, misplacedBefore.spelled)!
    throw new UsageError(`${displayName(levels.child, name)} belongs to the scheduled-backup job type: put it after \`scheduled-backup\``)
  }
  const childArgv = argv.slice(wordIndex + 1)
  const misplacedAfter = scan(childArgv, [levels.child, levels.global]).flags.find(
    (f) =>
      lookup(levels.parent, f.spelled) !== undefined &&
      lookup(levels.child, f.spelled) === undefined &&
      lookup(levels.global, f.spelled) === undefined,
  )
  if (misplacedAfter) {
    const name = lookup(levels.parent, misplacedAfter.spelled)!
    throw new UsageError(`${displayName(levels.parent, name)} is a flag of the job: put it before \`scheduled-backup\``)
  }
  return {parentArgv: argv.slice(0, wordIndex), jobType: word as JobTypeName, childArgv}
}
