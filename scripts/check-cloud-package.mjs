#!/usr/bin/env node
// The n8n Cloud package (cloud/, n8n-nodes-consent-service) as scripts/check-package.mjs checks the
// main one: built with `n8n-node build`, packed the way it is published, then n8n's
// community-package scanner (its own config, offline) on cloud/'s source and on the packed
// tarball's .js and package.json. Unlike the main package, nothing is accepted: n8n Cloud's rules
// (no runtime dependencies, only allowed imports and globals) all hold here.
//
//   node scripts/check-cloud-package.mjs [--out DIR] [--pack-only]
//     --out DIR     keep the packed .tgz in DIR
//     --pack-only   only build and pack (the cloud e2e test installs the .tgz into n8n)
// Needs `npm ci` in cloud/ (its own lockfile). Exit 1 on any finding.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { scanSourceAndTarball } from './check-package.mjs';

const CLOUD = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'cloud');

function run(command, args, options) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Builds into a copy of cloud/ (never touching cloud/dist, which a test may be reading) and packs it. */
export function packCloudPackage(outDir) {
  if (!fs.existsSync(path.join(CLOUD, 'node_modules', '@n8n', 'node-cli'))) {
    throw new Error('cloud/ has no node_modules: run `npm ci --prefix cloud` once (the n8n Cloud package has its own lockfile)');
  }
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-cloud-pack-'));
  try {
    for (const entry of ['package.json', 'tsconfig.json', 'README.md', 'credentials', 'nodes']) {
      fs.cpSync(path.join(CLOUD, entry), path.join(staging, entry), { recursive: true });
    }
    fs.copyFileSync(path.join(CLOUD, '..', 'LICENSE'), path.join(staging, 'LICENSE'));
    fs.symlinkSync(path.join(CLOUD, 'node_modules'), path.join(staging, 'node_modules'));
    run(process.execPath, [path.join(CLOUD, 'node_modules', '@n8n', 'node-cli', 'bin', 'n8n-node.mjs'), 'build'], { cwd: staging });
    fs.mkdirSync(outDir, { recursive: true });
    const [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', outDir], { cwd: staging }));
    return { tarball: path.join(outDir, packed.filename), files: packed.files.map((f) => f.path) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

export async function checkCloudPackage({ outDir } = {}) {
  const keep = outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'consent-cloud-tgz-'));
  const { tarball, files } = packCloudPackage(keep);
  try {
    const { findings, manifest } = await scanSourceAndTarball(CLOUD, tarball);
    const dependencies = Object.keys(manifest.dependencies ?? {});
    return { tarball, files: files.length, dependencies, problems: findings, passed: findings.length === 0 && dependencies.length === 0 };
  } finally {
    if (!outDir) fs.rmSync(keep, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const outDir = at > 0 ? path.resolve(process.argv[at + 1]) : undefined;
  if (process.argv.includes('--pack-only')) {
    process.stdout.write(`${JSON.stringify(packCloudPackage(outDir ?? process.cwd()))}\n`);
    process.exit(0);
  }
  const result = await checkCloudPackage({ outDir });
  for (const p of result.problems) process.stdout.write(`PROBLEM   ${p.rule}  ${p.set}:${p.file}:${p.line}  ${p.message}\n`);
  if (result.dependencies.length > 0) process.stdout.write(`PROBLEM   runtime dependencies in package.json: ${result.dependencies.join(', ')}\n`);
  process.stdout.write(`${result.passed ? 'passed' : 'FAILED'}: n8n's community-package scan of ${path.basename(result.tarball)} (${result.files} files), no exceptions\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.passed ? 0 : 1;
}
