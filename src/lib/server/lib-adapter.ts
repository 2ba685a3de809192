/**
 * The one place the server reaches into the CLI's shared modules (labels, schedules), so the
 * server renders and validates exactly as the CLI does.
 */
import {renderLabel, validateLabelTemplate} from '../contract/labels/index.js'
import {nextRuns, validateSchedule} from '../contract/schedule/index.js'

export interface LabelInput {
  index: number
  cluster: {id: string; description: string; provider: string}
  date: Date
}

export function renderBackupLabel(template: string, input: LabelInput): string {
  return renderLabel(template, input)
}

/** undefined when `check` passes, else the reason it gives. */
function problemOf(check: () => void): string | undefined {
  try {
    check()
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

export const labelTemplateProblem = (template: string) => problemOf(() => validateLabelTemplate(template))

export const scheduleProblem = (expression: string) => problemOf(() => validateSchedule(expression))

/** The first run strictly after `from` (UTC cron, croner). */
export function nextRun(expression: string, from: Date): Date | undefined {
  return nextRuns(expression, 1, from)[0]
}
