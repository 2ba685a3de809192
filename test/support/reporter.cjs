// Mocha's spec reporter plus a closing line in the plain "N passed, N failed, N skipped" form
// that CI reads to tell a run that tested something from one that ran nothing.
const Mocha = require('mocha')

class SpecWithSummary extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options)
    runner.once('end', () => {
      const s = runner.stats ?? {passes: 0, failures: 0, pending: 0}
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`)
    })
  }
}

module.exports = SpecWithSummary
