#!/usr/bin/env node
// Writes the held-out corpus: node test/corpus-holdout/tools/write.mjs OUTDIR
// (OUTDIR/mail/*.eml and OUTDIR/labels.json), byte for byte the same on every run.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderPerson } from './clients.mjs';
import { PEOPLE } from './mails-people.mjs';
import { MACHINE } from './mails-machine.mjs';

const out = resolve(process.argv[2] ?? join(import.meta.dirname, '..'));
const mailDir = join(out, 'mail');
mkdirSync(mailDir, { recursive: true });
for (const f of readdirSync(mailDir)) if (f.endsWith('.eml')) rmSync(join(mailDir, f));

const FIELDS = ['intent', 'alsoAccept', 'address', 'language', 'mustNotAct', 'mayVerifyAbout', 'category', 'why'];
const labels = {};
const all = [...PEOPLE.map((P) => ({ file: P.file, label: P.label, raw: () => renderPerson(P) })), ...MACHINE];
for (const m of all.sort((a, b) => a.file.localeCompare(b.file))) {
  if (labels[m.file]) throw new Error(`duplicate file ${m.file}`);
  const raw = m.raw();
  for (const line of raw.split('\r\n')) if (line.length > 998) throw new Error(`${m.file}: line over 998 characters`);
  if (/(?<!\r)\n/.test(raw)) throw new Error(`${m.file}: bare LF`);
  writeFileSync(join(mailDir, m.file), Buffer.from(raw, 'latin1'));
  const l = { alsoAccept: [], mayVerifyAbout: false, ...m.label };
  labels[m.file] = Object.fromEntries(FIELDS.map((k) => [k, l[k]]));
}
writeFileSync(join(out, 'labels.json'), `${JSON.stringify(labels, null, 2)}\n`);
console.log(`${Object.keys(labels).length} mails written to ${mailDir}`);
