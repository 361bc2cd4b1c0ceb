// Before the tests: the Debian packages the suites start servers from (PostgreSQL, Dovecot,
// Chromium; scripts/system-packages.mjs installs what is missing as root, or stops here at once
// with the one command to run), then build dist/ (the CLI, the worker and the n8n packaging tests
// run the built files the way users run them; esbuild takes well under a second), and make sure
// the local n8n the node and end-to-end tests use is installed (cached per lockfile; ~3.5 min the
// first time on a clean machine, ~0.05 s after).
const { execFileSync } = require('node:child_process');
const { existsSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

module.exports = async function globalSetup() {
  const root = join(__dirname, '..', '..');
  const { ensureSystemPackages } = await import(pathToFileURL(join(root, 'scripts', 'system-packages.mjs')).href);
  try {
    ensureSystemPackages();
  } catch (error) {
    // One clear message and no test run: every suite would fail for the same reason.
    process.stderr.write(`\n${error.message}\n\n`);
    process.exit(1);
  }
  execFileSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--silent'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'n8n-host.mjs'), 'ensure'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  // The Zapier app (zapier/) and the n8n Cloud package (cloud/) have their own package and lockfile:
  // installed when the lockfile is newer than the install (npm's hidden lockfile), ~2 min the first
  // time; .ci/run installs them itself. cloud/ needs no install script to lint, build or pack.
  for (const [folder, extra] of [['zapier', []], ['cloud', ['--ignore-scripts']]]) {
    const dir = join(root, folder);
    const installed = join(dir, 'node_modules', '.package-lock.json');
    if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(join(dir, 'package-lock.json')).mtimeMs) {
      execFileSync('npm', ['ci', ...extra, '--no-audit', '--no-fund'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    }
  }
};
