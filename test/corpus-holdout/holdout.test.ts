import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { simpleParser } from 'mailparser';

// The held-out corpus (test/corpus-holdout/README.md) is measured by
// `node scripts/score-corpus.mjs --corpus test/corpus-holdout`, not asserted here: these tests hold
// only that the corpus is what it says it is.
const DIR = resolve(__dirname);
type Label = {
  intent: string; alsoAccept: string[]; address: string | null; language: string | null; mustNotAct: boolean;
  mayVerifyAbout: boolean; category: string; why: string;
};
const labels = JSON.parse(readFileSync(join(DIR, 'labels.json'), 'utf8')) as Record<string, Label>;
const files = readdirSync(join(DIR, 'mail')).filter((f) => f.endsWith('.eml')).sort();
const INTENTS = ['unsubscribe', 'erase', 'access', 'bounce', 'auto_reply', 'unknown'];
const LANGUAGES = ['nl', 'en', 'de', 'fr', 'es', 'it'];
const CATEGORIES = ['unsubscribe', 'erase', 'access', 'objection', 'negation', 'other_person', 'question', 'loop', 'list', 'spam', 'phishing', 'auto_reply', 'bounce', 'arf'];
const FIELDS = ['intent', 'alsoAccept', 'address', 'language', 'mustNotAct', 'mayVerifyAbout', 'category', 'why'];

test('every mail has a label and every label a mail, with exactly the documented fields and values', () => {
  expect(files.length).toBeGreaterThanOrEqual(120);
  expect(Object.keys(labels).sort()).toEqual(files);
  for (const [file, l] of Object.entries(labels)) {
    expect([file, Object.keys(l)]).toEqual([file, FIELDS]);
    expect([file, INTENTS.includes(l.intent), l.alsoAccept.every((a) => INTENTS.includes(a) && a !== l.intent)]).toEqual([file, true, true]);
    expect([file, l.language === null || LANGUAGES.includes(l.language), CATEGORIES.includes(l.category)]).toEqual([file, true, true]);
    expect([file, l.address === null || /^[^@\s]+@[^@\s]+$/.test(l.address)]).toEqual([file, true]);
    expect([file, typeof l.mustNotAct, typeof l.mayVerifyAbout, l.why.length > 0]).toEqual([file, 'boolean', 'boolean', true]);
    // a request about another person never lets the sender's word act; acting requests are not held
    if (l.mayVerifyAbout) expect([file, l.mustNotAct, l.address !== null]).toEqual([file, true, true]);
    if (['unsubscribe', 'erase', 'objection', 'arf'].includes(l.category)) expect([file, l.mustNotAct, ['unsubscribe', 'erase'].includes(l.intent)]).toEqual([file, false, true]);
    if (['access', 'negation', 'other_person', 'loop', 'list', 'spam', 'phishing', 'bounce'].includes(l.category)) expect([file, l.mustNotAct]).toEqual([file, true]);
  }
});

test('request categories come in all six languages', () => {
  for (const category of ['unsubscribe', 'erase', 'access', 'objection', 'negation', 'other_person', 'question']) {
    const langs = new Set(Object.values(labels).filter((l) => l.category === category).map((l) => l.language));
    expect([category, [...langs].filter(Boolean).sort()]).toEqual([category, [...LANGUAGES].sort()]);
  }
});

test('every mail is raw RFC 5322 with CRLF line ends, lines within 998 characters, and parses without U+FFFD', async () => {
  for (const file of files) {
    const raw = readFileSync(join(DIR, 'mail', file));
    const text = raw.toString('latin1');
    expect([file, /(?<!\r)\n/.test(text)]).toEqual([file, false]);
    expect([file, text.split('\r\n').every((line) => line.length <= 998)]).toEqual([file, true]);
    const mail = await simpleParser(raw);
    expect([file, Boolean(mail.from?.value[0]?.address), Boolean(mail.messageId), Number.isNaN(mail.date?.getTime())]).toEqual([file, true, true, false]);
    expect([file, `${mail.subject ?? ''}${mail.text ?? ''}${typeof mail.html === 'string' ? mail.html : ''}`.includes('\uFFFD')]).toEqual([file, false]);
    // a person's own request is about the sender: the label's address is the From address
    const l = labels[file];
    if (['unsubscribe', 'erase', 'access', 'objection', 'negation', 'question'].includes(l.category) && !l.mayVerifyAbout && l.address !== null) {
      expect([file, mail.from?.value[0]?.address?.toLowerCase()]).toEqual([file, l.address]);
    }
  }
});

test('the corpus is exactly what its sources write (no hand edits of the .eml files)', () => {
  const out = mkdtempSync(join(tmpdir(), 'corpus-holdout-'));
  try {
    execFileSync(process.execPath, [join(DIR, 'tools/write.mjs'), out]);
    expect(readFileSync(join(out, 'labels.json'), 'utf8')).toBe(readFileSync(join(DIR, 'labels.json'), 'utf8'));
    expect(readdirSync(join(out, 'mail')).sort()).toEqual(files);
    for (const file of files) expect([file, readFileSync(join(out, 'mail', file)).equals(readFileSync(join(DIR, 'mail', file)))]).toEqual([file, true]);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
