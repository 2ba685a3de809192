/**
 * Root hooks (loaded through .mocharc.json) that fail the run when a promise rejection went
 * unhandled for a while, even if something handled it later: such a test leaves a
 * PromiseRejectionHandledWarning in the output and usually hides a missing `await`. The warnings
 * arrive asynchronously, so they are collected and reported once at the end, with their stacks.
 */
const late: string[] = []

process.on('warning', (warning) => {
  if (warning.name === 'PromiseRejectionHandledWarning') late.push(warning.stack ?? warning.message)
})

export const mochaHooks = {
  afterAll(): void {
    if (late.length > 0) {
      throw new Error(
        `${late.length} promise rejection(s) were handled only after they went unhandled (await the promise, or attach its handler at once):\n${late.join('\n')}`,
      )
    }
  },
}
