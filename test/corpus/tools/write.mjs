#!/usr/bin/env node
// Writes test/corpus/mail/*.eml and test/corpus/labels.json from the entries in this folder.
// Usage: node test/corpus/tools/write.mjs [DIR]   (default test/corpus; deterministic: a rerun
// writes the same bytes, which test/corpus/corpus.test.ts checks by writing into a temporary DIR)
// The corpus measures the classifier; it is not to be tuned against (see test/corpus/README.md).
import { mkdirSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compose } from './compose.mjs';
import { requests } from './mails-requests.mjs';
import { traps } from './mails-traps.mjs';
import { machine, bounces, complaints } from './mails-machine.mjs';

const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'mail');
mkdirSync(out, { recursive: true });
for (const f of readdirSync(out)) if (f.endsWith('.eml')) unlinkSync(join(out, f));

const all = [...requests, ...traps, ...machine, ...bounces, ...complaints];
const labels = {};
const seen = new Set();
for (const e of all) {
  if (seen.has(e.id)) throw new Error(`duplicate id ${e.id}`);
  seen.add(e.id);
  const rawMail = e.raw ?? compose(e);
  if (/(?<!\r)\n/.test(rawMail)) throw new Error(`${e.id}: bare LF`);
  const tooLong = rawMail.split('\r\n').find((l) => l.length > 998);
  if (tooLong) throw new Error(`${e.id}: a line over 998 characters`);
  const file = `${e.id}.eml`;
  // Every character stands for one byte: bodies are already in their charset and transfer encoding.
  if (/[^\x00-\xff]/.test(rawMail)) throw new Error(`${e.id}: a character that is not a byte; encode it`);
  writeFileSync(join(out, file), Buffer.from(rawMail, 'latin1'));
  const l = { ...e.label };
  if (l.language === undefined) l.language = e.lang ?? null;
  labels[file] = {
    intent: l.intent, address: l.address, language: l.language, mustNotAct: l.mustNotAct, category: l.category, why: l.why,
    ...(l.alsoAccept ? { alsoAccept: l.alsoAccept } : {}), ...(l.mayVerifyAbout ? { mayVerifyAbout: true } : {}),
  };
}
writeFileSync(join(root, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
const byCat = {};
for (const v of Object.values(labels)) byCat[v.category] = (byCat[v.category] ?? 0) + 1;
console.log(`${all.length} mails written to ${out}`);
console.log(byCat);
