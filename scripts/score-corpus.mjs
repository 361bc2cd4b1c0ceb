#!/usr/bin/env node
// Scores the mail classifier on the realistic corpus (test/corpus): per-intent precision and recall,
// wrongful actions, address and language accuracy, and the share of mails fully right.
//
//   npm run build && node scripts/score-corpus.mjs [--list] [--json] [--category NAME] [--corpus DIR]
//                                                  [--own-address ADDR ...] [--no-own]
//
// It runs the built CLI's own path (dist/worker/cli.js classifyFile: read, classify, prove the
// sender), without a ledger and without DNS. It measures; it never fails a build. See
// test/corpus/README.md for what the labels mean.
import { createRequire } from 'node:module';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const option = (name) => { const i = args.indexOf(name); return i >= 0 ? args[i + 1] : undefined; };
if (flag('--help') || flag('-h')) {
  console.log('usage: node scripts/score-corpus.mjs [--list] [--json] [--category NAME] [--corpus DIR]\n  --list       print every mail that is not fully right, and every wrongful action\n  --json       print the figures as JSON\n  --category   score one category only (e.g. negation, other_person, arf)\n  --corpus     a corpus folder with labels.json and mail/ (default test/corpus)\n  --own-address  an own address of the mailbox (repeatable; default the corpus\'s privacy@ and nieuwsbrief@shop.example)\n  --no-own     score without own addresses');
  process.exit(0);
}
const corpus = resolve(option('--corpus') ?? join(root, 'test/corpus'));
const cliPath = join(root, 'dist/worker/cli.js');
if (!existsSync(cliPath)) {
  console.error(`${cliPath} is missing: run \`npm run build\` first.`);
  process.exit(2);
}
const { classifyFile } = createRequire(import.meta.url)(cliPath);

const INTENTS = ['unsubscribe', 'erase', 'access', 'bounce', 'auto_reply', 'unknown'];
const ACTING = new Set(['unsubscribe', 'erase']);
const REQUEST_CATEGORIES = new Set(['unsubscribe', 'erase', 'access', 'objection', 'arf']);
const labels = JSON.parse(readFileSync(join(corpus, 'labels.json'), 'utf8'));
const only = option('--category');
// The corpus's mailbox as its operator would configure it (test/corpus/README.md): the privacy
// mailbox and the newsletter's sender are our own addresses. --own-address replaces them; --no-own
// scores without any.
const given = args.flatMap((a, i) => (a === '--own-address' ? [args[i + 1]] : []));
const ownAddresses = flag('--no-own') ? [] : given.length > 0 ? given : ['privacy@shop.example', 'nieuwsbrief@shop.example'];

const lower = (a) => (typeof a === 'string' ? a.trim().toLowerCase() : null);
/** The sender's address, read from the raw file (From:), to tell "the sender" from "the person concerned". */
function senderOf(path) {
  const head = readFileSync(path, 'latin1').split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const from = /^from:(.*)$/im.exec(head)?.[1] ?? '';
  return lower(/<([^>]+)>/.exec(from)?.[1] ?? from.trim());
}

const rows = [];
for (const [file, label] of Object.entries(labels)) {
  if (only && label.category !== only) continue;
  const path = join(corpus, 'mail', file);
  let got;
  try {
    const r = await classifyFile(path, { ownAddresses });
    // An intent outside the six (a future "review" or the like) counts as going to a person.
    const intent = INTENTS.includes(r.intent) ? r.intent : 'unknown';
    // A result that says it goes to review does not act, whatever intent it suggests.
    const review = Boolean(r.review || r.needsReview);
    got = { intent, rawIntent: r.intent, address: lower(r.address), language: r.language ?? null, reason: r.reason, review };
  } catch (error) {
    got = { intent: 'unknown', rawIntent: 'ERROR', address: null, language: null, reason: `threw: ${error.message}`, review: true, error: true };
  }
  const accepted = [label.intent, ...(label.alsoAccept ?? [])];
  const intentOk = accepted.includes(got.intent);
  const acts = ACTING.has(got.intent) && !got.review;
  const sender = senderOf(path);
  const addressOk = label.address === null ? null : got.address === lower(label.address);
  const languageOk = label.language === null ? null : got.language === label.language;

  // Wrongful action: an unsubscribe or erase that should not happen, or that hits someone else.
  let wrongful = null;
  let verifiesAbout = false;
  if (acts) {
    if (label.mayVerifyAbout && got.address === lower(label.address) && got.address !== sender) verifiesAbout = true; // the link goes to the person concerned
    else if (label.mustNotAct) wrongful = label.intent === 'unknown' || label.intent === 'auto_reply' || label.intent === 'bounce' ? 'acted on a mail that asked for nothing' : label.category === 'other_person' ? 'acted for the sender on a request about another person' : 'acted where acting is wrong';
    else if (!intentOk && !(got.intent === 'unsubscribe' && label.intent === 'erase')) wrongful = `${got.intent} where ${label.intent} was asked`;
    else if (label.address !== null && got.address !== lower(label.address)) wrongful = `acted on ${got.address ?? 'no address'} instead of ${label.address}`;
  }
  const addressNeeded = label.address !== null && got.intent !== 'unknown';
  const fullyRight = intentOk && !wrongful && (!addressNeeded || addressOk) && languageOk !== false;
  rows.push({ file, label, got, intentOk, addressOk, languageOk, wrongful, verifiesAbout, fullyRight });
}

// ---------- figures ----------
const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');
const perIntent = INTENTS.map((intent) => {
  // With alsoAccept, a result that is one of the accepted intents counts as that intent being right.
  const expectedOf = (r) => (r.intentOk ? r.got.intent : r.label.intent);
  const tp = rows.filter((r) => r.got.intent === intent && expectedOf(r) === intent).length;
  const predicted = rows.filter((r) => r.got.intent === intent).length;
  const expected = rows.filter((r) => expectedOf(r) === intent).length;
  return { intent, expected, predicted, tp, precision: predicted ? tp / predicted : null, recall: expected ? tp / expected : null };
});
const wrongful = rows.filter((r) => r.wrongful);
const withAddress = rows.filter((r) => r.label.address !== null);
const withLanguage = rows.filter((r) => r.label.language !== null);
const requests = rows.filter((r) => REQUEST_CATEGORIES.has(r.label.category));
const categories = [...new Set(rows.map((r) => r.label.category))];
const figures = {
  mails: rows.length,
  errors: rows.filter((r) => r.got.error).length,
  perIntent,
  wrongfulActions: wrongful.length,
  wrongfulOnMustNotAct: wrongful.filter((r) => r.label.mustNotAct).length,
  verificationToPersonConcerned: rows.filter((r) => r.verifiesAbout).length,
  addressAccuracy: { right: withAddress.filter((r) => r.addressOk).length, of: withAddress.length },
  languageAccuracy: { right: withLanguage.filter((r) => r.languageOk).length, of: withLanguage.length },
  fullyRight: { right: rows.filter((r) => r.fullyRight).length, of: rows.length },
  requestsFullyRight: { right: requests.filter((r) => r.fullyRight).length, of: requests.length },
  perCategory: Object.fromEntries(categories.map((c) => {
    const rs = rows.filter((r) => r.label.category === c);
    return [c, { right: rs.filter((r) => r.fullyRight).length, of: rs.length, wrongful: rs.filter((r) => r.wrongful).length }];
  })),
};

if (flag('--json')) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  console.log(`Corpus ${corpus}: ${rows.length} mails${only ? ` (category ${only})` : ''}${figures.errors ? `, ${figures.errors} threw` : ''}\n`);
  console.log('intent        expected  predicted  right  precision  recall');
  for (const p of perIntent) {
    console.log(`${p.intent.padEnd(12)}  ${String(p.expected).padStart(8)}  ${String(p.predicted).padStart(9)}  ${String(p.tp).padStart(5)}  ${(p.precision === null ? '-' : pct(p.tp, p.predicted)).padStart(9)}  ${(p.recall === null ? '-' : pct(p.tp, p.expected)).padStart(6)}`);
  }
  console.log(`\nwrongful actions (unsubscribe/erase that must not happen or hit the wrong person): ${wrongful.length}`);
  console.log(`  of which on mails marked mustNotAct: ${figures.wrongfulOnMustNotAct}`);
  console.log(`verification links to the person concerned (allowed for requests about another person): ${figures.verificationToPersonConcerned}`);
  console.log(`address accuracy:  ${figures.addressAccuracy.right}/${figures.addressAccuracy.of} (${pct(figures.addressAccuracy.right, figures.addressAccuracy.of)})`);
  console.log(`language accuracy: ${figures.languageAccuracy.right}/${figures.languageAccuracy.of} (${pct(figures.languageAccuracy.right, figures.languageAccuracy.of)})`);
  console.log(`fully right:       ${figures.fullyRight.right}/${figures.fullyRight.of} (${pct(figures.fullyRight.right, figures.fullyRight.of)})`);
  console.log(`requests fully right (intent, address, language): ${figures.requestsFullyRight.right}/${figures.requestsFullyRight.of} (${pct(figures.requestsFullyRight.right, figures.requestsFullyRight.of)})`);
  console.log('\nper category (fully right / mails, wrongful):');
  for (const [c, v] of Object.entries(figures.perCategory)) console.log(`  ${c.padEnd(13)} ${String(v.right).padStart(3)}/${String(v.of).padEnd(3)} ${pct(v.right, v.of).padStart(6)}   wrongful ${v.wrongful}`);
  if (flag('--list')) {
    console.log('\nwrongful actions:');
    for (const r of wrongful) console.log(`  ${r.file}: ${r.wrongful} (got ${r.got.rawIntent} ${r.got.address ?? '-'}; ${r.label.why})`);
    console.log('\nnot fully right:');
    for (const r of rows.filter((x) => !x.fullyRight)) {
      const want = `${[r.label.intent, ...(r.label.alsoAccept ?? [])].join('|')} ${r.label.address ?? '-'} ${r.label.language ?? '-'}`;
      console.log(`  ${r.file}: want ${want}; got ${r.got.rawIntent} ${r.got.address ?? '-'} ${r.got.language ?? '-'} (${r.got.reason ?? ''})`);
    }
  }
}
