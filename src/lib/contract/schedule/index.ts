/** Kurrent job schedules: validation of the semi-cron subset and previews of the next runs. */
export {formatLocalRunTime, formatRunTime, formatUtcRunTime, nextRuns} from './next-runs.js'
export {firstSharedRun, offsetMinuteExample} from './overlap.js'
export {MIN_MINUTES_BETWEEN_RUNS, SCHEDULE_FIELDS, ScheduleError, validateSchedule} from './validate.js'
export type {Schedule, ScheduleField} from './validate.js'
export {JOB_TYPES, splitJobArgv} from './job-argv.js'
export type {FlagShape, JobArgvLevels, JobTypeName, SplitJobArgv} from './job-argv.js'
