import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// `npm test` on a fresh machine: jest's globalSetup runs scripts/system-packages.mjs, which installs
// the missing Debian packages as root and otherwise stops at once with the one command to run.
// Here the script runs as a command with a dpkg-query (and apt-get) of our own first on PATH:
// the machine's real packages stay as they are.
const SCRIPT = resolve(__dirname, '../../scripts/system-packages.mjs');

let bin: string;

beforeAll(() => {
  bin = mkdtempSync(join(tmpdir(), 'system-packages-'));
  chmodSync(bin, 0o755);
  // A Debian machine on which Chromium is not installed.
  writeFileSync(
    join(bin, 'dpkg-query'),
    '#!/bin/sh\nfor last; do :; done\nif [ "$last" = chromium ]; then echo "dpkg-query: no packages found matching chromium" >&2; exit 1; fi\nprintf "install ok installed"\n',
    { mode: 0o755 },
  );
  // apt-get without a network.
  writeFileSync(join(bin, 'apt-get'), '#!/bin/sh\necho "E: Could not resolve the mirror" >&2\nexit 100\n', { mode: 0o755 });
});

afterAll(() => {
  if (bin) rmSync(bin, { recursive: true, force: true });
});

function run(args: string[], as?: { uid: number; gid: number }) {
  return spawnSync(process.execPath, [SCRIPT, ...args], {
    encoding: 'utf8',
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
    cwd: tmpdir(),
    ...(as ?? {}),
  });
}

test('--check lists what is missing', () => {
  const result = run(['--check']);
  expect(result.stdout.trim()).toBe('missing: chromium');
  expect(result.status).toBe(1);
});

test('not root: stops at once and names the one command to run, without trying apt-get', () => {
  const result = run([], { uid: 65534, gid: 65534 });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('The tests need the Debian packages chromium');
  expect(result.stderr).toContain('sudo node scripts/system-packages.mjs\n');
  expect(result.stderr).not.toContain('apt-get');
});

test('root, but apt-get fails: stops with what failed and the same command', () => {
  if (process.getuid?.() !== 0) throw new Error('this test runs as root (as .ci/run does)');
  const result = run([]);
  expect(result.status).toBe(1);
  expect(result.stderr).toContain('Installing the Debian packages chromium failed: apt-get update failed (exit 100)');
  expect(result.stderr).toContain('sudo node scripts/system-packages.mjs\n');
});

test('with everything installed (this machine): nothing to do', () => {
  const result = spawnSync(process.execPath, [SCRIPT], { encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
});
