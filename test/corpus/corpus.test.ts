import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';

// The realistic corpus (test/corpus/README.md) is measured by scripts/score-corpus.mjs, not asserted
// here: these tests hold only that the corpus is what it says it is, and that the score runs.
const DIR = resolve(__dirname);
const ROOT = resolve(__dirname, '../..');
const labels = JSON.parse(readFileSync(join(DIR, 'labels.json'), 'utf8')) as Record<string, {
  intent: string; address: string | null; language: string | null; mustNotAct: boolean; category: string; why: string; alsoAccept?: string[];
}>;
const files = readdirSync(join(DIR, 'mail')).filter((f) => f.endsWith('.eml')).sort();
const INTENTS = ['unsubscribe', 'erase', 'access', 'bounce', 'auto_reply', 'unknown'];
const LANGUAGES = ['nl', 'en', 'de', 'fr', 'es', 'it'];

test('every mail has a label and every label a mail, with values from the documented sets', () => {
  expect(files.length).toBeGreaterThanOrEqual(200);
  expect(Object.keys(labels).sort()).toEqual(files);
  for (const [file, l] of Object.entries(labels)) {
    expect([file, INTENTS.includes(l.intent)]).toEqual([file, true]);
    for (const a of l.alsoAccept ?? []) expect([file, INTENTS.includes(a)]).toEqual([file, true]);
    expect([file, l.language === null || LANGUAGES.includes(l.language)]).toEqual([file, true]);
    expect([file, l.address === null || /^[^@\s]+@[^@\s]+$/.test(l.address)]).toEqual([file, true]);
    expect([file, typeof l.mustNotAct, l.why.length > 0]).toEqual([file, 'boolean', true]);
  }
});

test('request categories come in all six languages', () => {
  for (const category of ['unsubscribe', 'erase', 'access', 'objection', 'negation', 'other_person', 'question']) {
    const langs = new Set(Object.values(labels).filter((l) => l.category === category).map((l) => l.language));
    expect([category, [...langs].sort()]).toEqual([category, [...LANGUAGES].sort()]);
  }
});

test('every mail is raw RFC 5322 with CRLF line ends, lines within 998 characters, and parses', async () => {
  for (const file of files) {
    const raw = readFileSync(join(DIR, 'mail', file));
    const text = raw.toString('latin1');
    expect([file, /(?<!\r)\n/.test(text)]).toEqual([file, false]);
    expect([file, text.split('\r\n').every((line) => line.length <= 998)]).toEqual([file, true]);
    const mail = await simpleParser(raw);
    expect([file, Boolean(mail.from?.value[0]?.address), Boolean(mail.messageId), Number.isNaN(mail.date?.getTime())]).toEqual([file, true, true, false]);
    expect([file, `${mail.text ?? ''}${typeof mail.html === 'string' ? mail.html : ''}`.includes('\uFFFD')]).toEqual([file, false]);
  }
});

test('the corpus is exactly what its sources write (no hand edits of the .eml files)', () => {
  const out = mkdtempSync(join(tmpdir(), 'corpus-'));
  try {
    execFileSync(process.execPath, [join(DIR, 'tools/write.mjs'), out]);
    expect(readFileSync(join(out, 'labels.json'), 'utf8')).toBe(readFileSync(join(DIR, 'labels.json'), 'utf8'));
    for (const file of files) expect([file, readFileSync(join(out, 'mail', file)).equals(readFileSync(join(DIR, 'mail', file)))]).toEqual([file, true]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

test('the score script runs on the built classifier and reports every figure', () => {
  const json = JSON.parse(execFileSync(process.execPath, [join(ROOT, 'scripts/score-corpus.mjs'), '--json'], { encoding: 'utf8' })) as {
    mails: number; perIntent: { intent: string }[]; wrongfulActions: number; addressAccuracy: { of: number }; languageAccuracy: { of: number }; fullyRight: { of: number }; requestsFullyRight: { of: number };
  };
  expect(json.mails).toBe(files.length);
  expect(json.perIntent.map((p) => p.intent)).toEqual(INTENTS);
  expect(typeof json.wrongfulActions).toBe('number');
  expect(json.addressAccuracy.of).toBe(Object.values(labels).filter((l) => l.address !== null).length);
  expect(json.languageAccuracy.of).toBe(Object.values(labels).filter((l) => l.language !== null).length);
  expect(json.fullyRight.of).toBe(files.length);
  expect(json.requestsFullyRight.of).toBeGreaterThanOrEqual(100);
});
