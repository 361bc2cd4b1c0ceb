#!/usr/bin/env node
// The Debian packages the tests start servers from (PostgreSQL, Dovecot, Chromium, Redis): the one list,
// and the one install. `.ci/run` and jest's globalSetup (test/support/global-setup.js, so plain
// `npm test`) both call it. Runs on any Node (.ci/run calls it before `npm ci`).
//
//   node scripts/system-packages.mjs [--check] [more packages ...]
//     installs what is missing (as root, with apt-get), or says which command to run and exits 1;
//     --check only lists what is missing (exit 1 when something is).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** What `npm test` needs from Debian. */
// redis-server: n8n's queue mode (test/e2e/queue-mode.test.ts starts a private one on 127.0.0.1;
// the package's own service stays off, as for the others).
export const TEST_PACKAGES = Object.freeze(['postgresql', 'dovecot-imapd', 'dovecot-lmtpd', 'chromium', 'redis-server']);

/** The command a person runs (as root) to install the test packages. */
export const INSTALL_COMMAND = 'sudo node scripts/system-packages.mjs';

/** The packages of `packages` that are not installed; null when this is not a Debian machine (no dpkg-query). */
export function missingPackages(packages = TEST_PACKAGES) {
  const missing = [];
  for (const pkg of packages) {
    const result = spawnSync('dpkg-query', ['-W', '-f=${Status}', pkg], { encoding: 'utf8' });
    if (result.error?.code === 'ENOENT') return null;
    if (result.status !== 0 || !/\binstall ok installed$/.test(result.stdout.trim())) missing.push(pkg);
  }
  return missing;
}

/**
 * Installs `packages` with apt-get. The packages' own system services are not started (a
 * policy-rc.d that says 101): the tests start private servers on 127.0.0.1.
 * Returns null on success, else what went wrong.
 */
function aptInstall(packages, log) {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const policy = '/usr/sbin/policy-rc.d';
  const hadPolicy = fs.existsSync(policy);
  try {
    if (!hadPolicy) fs.writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
    log(`Installing the Debian packages the tests need: ${packages.join(' ')} (apt-get) ...`);
    for (const args of [['update', '-qq'], ['install', '-y', '-qq', ...packages]]) {
      const result = spawnSync('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
      if (result.error) return `apt-get could not run: ${result.error.message}`;
      if (result.status !== 0) return `apt-get ${args[0]} failed (exit ${result.status})`;
    }
  } catch (error) {
    return error.message;
  } finally {
    if (!hadPolicy) fs.rmSync(policy, { force: true });
  }
  const still = missingPackages(packages) ?? [];
  return still.length > 0 ? `still missing after apt-get: ${still.join(' ')}` : null;
}

/**
 * Makes sure the packages are installed: nothing to do, or installs them as root, or throws an
 * error that names the one command to run. Not a Debian machine: returns without a word (the
 * suites then say which server they cannot find).
 * @returns {{ installed: string[] }}
 */
export function ensureSystemPackages({ packages = TEST_PACKAGES, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  const missing = missingPackages(packages);
  if (!missing || missing.length === 0) return { installed: [] };
  const command = [INSTALL_COMMAND, ...packages.filter((p) => !TEST_PACKAGES.includes(p))].join(' ');
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    throw new Error(`The tests need the Debian packages ${missing.join(', ')}, which are not installed. Install them once as root:\n\n  ${command}\n\nthen run the tests again.`);
  }
  const problem = aptInstall(missing, log);
  if (problem) {
    throw new Error(`Installing the Debian packages ${missing.join(', ')} failed: ${problem}. Fix that (network? apt sources?), then run:\n\n  ${command}\n\nand the tests again.`);
  }
  return { installed: missing };
}

function main(argv) {
  const check = argv.includes('--check');
  const extra = argv.filter((a) => a !== '--check');
  const packages = [...TEST_PACKAGES, ...extra];
  if (check) {
    const missing = missingPackages(packages);
    if (missing === null) {
      process.stdout.write('Not a Debian machine (no dpkg-query): install PostgreSQL, Dovecot (IMAP, LMTP), Chromium and Redis yourself.\n');
      return 0;
    }
    if (missing.length > 0) process.stdout.write(`missing: ${missing.join(' ')}\n`);
    return missing.length > 0 ? 1 : 0;
  }
  try {
    const { installed } = ensureSystemPackages({ packages });
    if (installed.length > 0) process.stderr.write(`Installed: ${installed.join(' ')}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    return 1;
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
