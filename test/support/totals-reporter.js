/**
 * Ends every run with one plain line, `N passed, N failed`, so CI shows at a glance that
 * tests ran. A suite that cannot even load counts as a failure.
 */
class TotalsReporter {
  onRunComplete(_contexts, results) {
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    process.stdout.write(`\n${results.numPassedTests} passed, ${failed} failed\n`);
  }
}
module.exports = TotalsReporter;
