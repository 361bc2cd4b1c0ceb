#!/usr/bin/env node
// Packs the package the way it is published and runs n8n's community-package scanner on it,
// offline. `npx @n8n/scan-community-package <name>` downloads a published version and its
// provenance-attested source from the internet; its lint step is exported, so this script calls
// that step with the scanner's own config (buildScanConfig, SOURCE_FILE_PATTERNS) on the same two
// sets n8n lints: the source (nodes/, credentials/, package.json) and the packed tarball's
// compiled .js and package.json.
//
//   node scripts/check-package.mjs [--out DIR] [--pack-only]
//     --out DIR     keep the packed .tgz in DIR
//     --pack-only   only build and pack (the packaging test installs the .tgz into n8n)
// Prints the findings per rule and, as its last line, a JSON summary. Exit 1 when the scanner
// finds anything but the n8n Cloud rules accepted below.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { copyNodeAssets } from './copy-node-assets.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Rules that only n8n Cloud needs (in the plugin's `recommended` config, not in its
 * `recommendedWithoutN8nCloudSupport`). This is an unverified package for self-hosted n8n
 * (NOTES-n8n.md): it has runtime dependencies (pg, nodemailer, imapflow, mailparser, mailauth, and the mail readers)
 * and uses Node's modules and globals (node:sqlite, fs, net, process, timers), none of which
 * n8n Cloud allows.
 */
export const ACCEPTED_CLOUD_RULES = {
  '@n8n/community-nodes/no-runtime-dependencies': 'runtime dependencies: the ledger (pg), mail (nodemailer) the mailbox worker (imapflow, mailparser, mailauth) and reading mail (html-to-text, email-reply-parser, email-forward-parser, franc-min)',
  '@n8n/community-nodes/no-restricted-imports': "Node's modules (node:sqlite, node:fs, node:net, ...) and the runtime dependencies",
  '@n8n/community-nodes/no-restricted-globals': "process, setTimeout and friends in core/, the CLI and the mailbox worker (never in nodes/ or credentials/: the repository's lint keeps this rule on there)",
};

function run(command, args, options) {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...options });
}

/** Builds into a staging folder (never touching the working dist/, which tests may be reading) and packs it. */
export function packPackage(outDir) {
  const staging = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-pack-'));
  try {
    const tsup = path.join(ROOT, 'node_modules', 'tsup', 'dist', 'cli-default.js');
    run(process.execPath, [tsup, '--silent', '--out-dir', path.join(staging, 'dist')], { cwd: ROOT });
    copyNodeAssets(path.join(staging, 'dist'));
    for (const file of ['package.json', 'README.md', 'LICENSE', 'LICENSE.md']) {
      if (fs.existsSync(path.join(ROOT, file))) fs.copyFileSync(path.join(ROOT, file), path.join(staging, file));
    }
    fs.mkdirSync(outDir, { recursive: true });
    // --ignore-scripts: prepack would rebuild; the staging dist is already what prepack makes.
    const [packed] = JSON.parse(run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', outDir], { cwd: staging }));
    return { tarball: path.join(outDir, packed.filename), files: packed.files.map((f) => f.path) };
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/** The scanner's lint, with structured results (its analyzePackage only returns formatted text). */
async function scanWithN8nRules(dir, patterns) {
  const scannerPath = createRequire(import.meta.url).resolve('@n8n/scan-community-package/scanner/scanner.mjs');
  const scanner = await import(pathToFileURL(scannerPath).href);
  const requireFromScanner = createRequire(scannerPath);
  const { ESLint } = await import(pathToFileURL(requireFromScanner.resolve('eslint')).href);
  const glob = requireFromScanner('fast-glob');
  const eslint = new ESLint({ cwd: dir, allowInlineConfig: false, overrideConfigFile: true, overrideConfig: await scanner.buildScanConfig() });
  const files = glob.sync(patterns, { cwd: dir, absolute: true, ignore: ['node_modules/**', '**/package-lock.json'] });
  const results = await eslint.lintFiles(files);
  return results.flatMap((r) =>
    r.messages.filter((m) => m.severity === 2).map((m) => ({ file: path.relative(dir, r.filePath), line: m.line, rule: m.ruleId ?? '(parse error)', message: m.message })),
  );
}

/**
 * The scanner on the two sets n8n lints: a package's source folder and its packed tarball (.js and
 * package.json); also the tarball's package.json, for the caller's own checks.
 */
export async function scanSourceAndTarball(sourceDir, tarball) {
  const extracted = fs.mkdtempSync(path.join(os.tmpdir(), 'consent-scan-'));
  try {
    run('tar', ['-xzf', tarball, '-C', extracted, '--strip-components=1']);
    const scannerPath = createRequire(import.meta.url).resolve('@n8n/scan-community-package/scanner/scanner.mjs');
    const { SOURCE_FILE_PATTERNS } = await import(pathToFileURL(scannerPath).href);
    const findings = [
      ...(await scanWithN8nRules(sourceDir, SOURCE_FILE_PATTERNS)).map((f) => ({ ...f, set: 'source' })),
      ...(await scanWithN8nRules(extracted, ['**/*.js', 'package.json'])).map((f) => ({ ...f, set: 'tarball' })),
    ];
    return { findings, manifest: JSON.parse(fs.readFileSync(path.join(extracted, 'package.json'), 'utf8')) };
  } finally {
    fs.rmSync(extracted, { recursive: true, force: true });
  }
}

export async function checkPackage({ outDir } = {}) {
  const keep = outDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'consent-tgz-'));
  const { tarball, files } = packPackage(keep);
  try {
    const { findings } = await scanSourceAndTarball(ROOT, tarball);
    const accepted = findings.filter((f) => f.rule in ACCEPTED_CLOUD_RULES);
    const problems = findings.filter((f) => !(f.rule in ACCEPTED_CLOUD_RULES));
    const byRule = (list) => Object.fromEntries([...new Set(list.map((f) => f.rule))].sort().map((rule) => [rule, list.filter((f) => f.rule === rule).length]));
    return { tarball, files: files.length, accepted: byRule(accepted), problems, passed: problems.length === 0 };
  } finally {
    if (!outDir) fs.rmSync(keep, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf('--out');
  const outDir = at > 0 ? path.resolve(process.argv[at + 1]) : undefined;
  if (process.argv.includes('--pack-only')) {
    const packed = packPackage(outDir ?? process.cwd());
    process.stdout.write(`${JSON.stringify(packed)}\n`);
    process.exit(0);
  }
  const result = await checkPackage({ outDir });
  for (const [rule, count] of Object.entries(result.accepted)) {
    process.stdout.write(`accepted  ${rule} (${count}): n8n Cloud only; ${ACCEPTED_CLOUD_RULES[rule]}\n`);
  }
  for (const p of result.problems) process.stdout.write(`PROBLEM   ${p.rule}  ${p.set}:${p.file}:${p.line}  ${p.message}\n`);
  process.stdout.write(`${result.passed ? 'passed' : 'FAILED'}: n8n's community-package scan of ${path.basename(result.tarball)} (${result.files} files)\n`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exitCode = result.passed ? 0 : 1;
}
