#!/usr/bin/env node
// Copies into the build the files tsup does not write (it compiles .ts only, file by file):
//  - beside each compiled node and credential: its icons (n8n resolves `file:x.svg` from the .js
//    file's folder) and its codex file (<Node>.node.json, which n8n's loader requires beside
//    <Node>.node.js);
//  - the JSON data the compiled code requires (core/mail/words.json, ...).
//   node scripts/copy-node-assets.mjs [outDir]      (default: dist)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ASSETS = {
  nodes: /\.(svg|png)$|\.node\.json$/,
  credentials: /\.(svg|png)$/,
  core: /\.json$/,
  worker: /\.json$/,
  cli: /\.json$/,
};

export function copyNodeAssets(outDir = path.join(ROOT, 'dist')) {
  const copied = [];
  for (const [top, pattern] of Object.entries(ASSETS)) {
    if (!fs.existsSync(path.join(ROOT, top))) continue;
    for (const entry of fs.readdirSync(path.join(ROOT, top), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !pattern.test(entry.name)) continue;
      const from = path.join(entry.parentPath, entry.name);
      const relative = path.relative(ROOT, from);
      const to = path.join(outDir, relative);
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
      copied.push(relative);
    }
  }
  return copied;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const copied = copyNodeAssets(process.argv[2] ? path.resolve(process.argv[2]) : undefined);
  // Quiet by default: it runs after every build (tests, npm start); CONSENT_VERBOSE_BUILD=1 lists.
  if (process.env.CONSENT_VERBOSE_BUILD) process.stdout.write(`copied ${copied.length} files tsup does not write: ${copied.filter((f) => !/\.(svg|png)$/.test(f)).join(', ')} and the icons\n`);
}
