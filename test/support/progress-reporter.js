// In CI (CI=true): one line per test file as it starts and ends, with the time of day, so a run cut
// off by .ci/run's hang guard names the file it was in (jest's default reporter prints a file only
// once it has finished).
class ProgressReporter {
  constructor() {
    this.on = process.env.CI === 'true';
  }

  stamp() {
    return new Date().toISOString().slice(11, 19);
  }

  onTestFileStart(test) {
    if (this.on) process.stderr.write(`[${this.stamp()}] started ${test.path}\n`);
  }

  onTestFileResult(test, result) {
    if (this.on) process.stderr.write(`[${this.stamp()}] ended ${test.path} (${result.numFailingTests} failed, ${result.numPassingTests} passed)\n`);
  }
}

module.exports = ProgressReporter;
