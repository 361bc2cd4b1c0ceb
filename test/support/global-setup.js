// Before the tests: build dist/ (the CLI, the worker and the n8n packaging tests run the built
// files the way users run them; esbuild takes well under a second), and make sure the local n8n
// the node and end-to-end tests use is installed (cached per lockfile; ~3.5 min the first time
// on a clean machine, ~0.05 s after).
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');

module.exports = async function globalSetup() {
  const root = join(__dirname, '..', '..');
  execFileSync(process.execPath, [join(root, 'node_modules', 'tsup', 'dist', 'cli-default.js'), '--silent'], { cwd: root, stdio: 'inherit' });
  execFileSync(process.execPath, [join(root, 'scripts', 'n8n-host.mjs'), 'ensure'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
};
