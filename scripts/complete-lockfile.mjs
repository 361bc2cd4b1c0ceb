#!/usr/bin/env node
// Completes package-lock.json with the platform builds this machine's registry mirror lacks.
//
// Packages such as @swc/core, rollup and unrs-resolver ship one optional package per platform
// (@swc/core-darwin-arm64, ...). The mirror this project is built against carries only some of
// them, so `npm install` writes a lock without the rest, and `npm ci` then refuses the lock
// ("Missing: @swc/core-darwin-arm64@ from lock file"). A lock made against the full registry
// lists every one of them with its os/cpu (and libc); npm skips those that do not fit the
// machine without fetching them. This script adds the missing entries in that same form, with
// os, cpu and libc read from the package name. Run it after changing dependencies:
//   npm install && node scripts/complete-lockfile.mjs [path/to/package-lock.json]
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'netbsd', 'openbsd', 'openharmony', 'sunos', 'win32', 'aix', 'wasi'];
const CPU = { arm64: 'arm64', x64: 'x64', ia32: 'ia32', arm: 'arm', ppc64: 'ppc64', s390x: 's390x', riscv64: 'riscv64', loong64: 'loong64', wasm32: 'wasm32', universal: null };

/** os, cpu and libc from a platform package's name, e.g. rollup-linux-arm64-musl. */
export function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const osIndex = parts.findIndex((p) => OS.includes(p));
  if (osIndex < 0) return undefined;
  const cpuPart = parts.slice(osIndex + 1).find((p) => p in CPU);
  const cpu = cpuPart === 'arm' && parts.includes('gnueabihf') ? 'arm' : cpuPart ? CPU[cpuPart] : undefined;
  const libc = parts.includes('musl') || parts.includes('musleabihf') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : undefined;
  return { os: parts[osIndex] === 'wasi' ? undefined : parts[osIndex], cpu, libc };
}

const file = process.argv[2] ?? 'package-lock.json';
const lock = JSON.parse(readFileSync(file, 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`;
    // npm resolves the dependency next to its parent, else at the top.
    const candidates = [`${base}node_modules/${name}`, `node_modules/${name}`];
    if (candidates.some((c) => lock.packages[c])) continue;
    const platform = platformOf(name);
    if (!platform || (!platform.os && !platform.cpu)) continue; // not a platform build: leave it to npm
    lock.packages[`node_modules/${name}`] = {
      version: version.replace(/^[\^~=]/, ''),
      ...(platform.cpu ? { cpu: [platform.cpu] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(platform.libc ? { libc: [platform.libc] } : {}),
      optional: true,
      ...(platform.os ? { os: [platform.os] } : {}),
    };
    added.push(name);
  }
}
lock.packages = Object.fromEntries(Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`${file}: added ${added.length} platform build(s) the registry mirror lacks${added.length ? `: ${added.join(', ')}` : ''}`);
