/**
 * The server's checks of label templates and schedules, through the same contract modules the CLI
 * uses, so both accept exactly the same input. (Labels are rendered with contract/labels' renderLabel.)
 */
import {validateLabelTemplate} from '../contract/labels/index.js'
import {nextRuns, validateSchedule} from '../contract/schedule/index.js'

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
