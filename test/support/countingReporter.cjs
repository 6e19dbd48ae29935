// Mocha's spec reporter, plus the pass/fail counts written to $GRADIENT_LENS_COUNTS so that
// scripts/test.mjs can total every suite into one `N passed, N failed` line.
const { writeFileSync } = require('node:fs');
const Mocha = require('mocha');

class CountingReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.GRADIENT_LENS_COUNTS;
      if (file) writeFileSync(file, JSON.stringify({ passed: runner.stats.passes, failed: runner.stats.failures }));
    });
  }
}

module.exports = CountingReporter;
