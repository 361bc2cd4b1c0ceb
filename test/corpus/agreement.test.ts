import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { processRequestMail, type RequestOptions } from '../../core/inbox';
import { classifyFile } from '../../worker/cli';
import { tempLedger } from '../support/ledger';

/**
 * `n8n-consent classify` and the worker say the same of every mail: each .eml of the corpus goes
 * through classifyFile (what the CLI prints) and through the worker's own processing path
 * (core/inbox processRequestMail on a real SQLite ledger; no IMAP needed), and both must agree on
 * the intent, the address the request is about, and whether (and why) a person decides. This test
 * asserts agreement, not scores: the corpus is scored by scripts/score-corpus.mjs.
 */
const DIR = join(resolve(__dirname), 'mail');
const files = readdirSync(DIR).filter((f) => f.endsWith('.eml')).sort();
const OWN = 'privacy@shop.example';
const OPTIONS: RequestOptions = { mailbox: `${OWN}/INBOX`, baseUrl: 'https://shop.example/consent', organisation: 'De Winkel', replyFrom: `Privacy De Winkel <${OWN}>` };
// The CLI is told our own address the way the worker knows it (its replyFrom), where it takes one.
const CLI_OPTIONS = { ownAddresses: [OWN] } as Parameters<typeof classifyFile>[1];

let t: Awaited<ReturnType<typeof tempLedger>>;
beforeAll(async () => {
  t = await tempLedger();
});
afterAll(() => t?.dispose());

test('the corpus is there to agree on', () => {
  expect(files.length).toBeGreaterThanOrEqual(200);
});

test.each(files)('%s: classify and the worker agree on intent, address and review', async (file) => {
  const path = join(DIR, file);
  const cli = await classifyFile(path, CLI_OPTIONS);
  const worker = await processRequestMail(t.ledger, readFileSync(path), OPTIONS);
  expect(worker.isRepeat).toBe(false);
  expect({ intent: worker.intent, address: worker.address }).toEqual({ intent: cli.intent, address: cli.address });
  if (cli.review !== null) {
    // A person decides: the worker did nothing and filed it for review with the classifier's reason.
    expect({ outcome: worker.outcome, folder: worker.folder, reason: worker.review?.reason }).toEqual({ outcome: 'needs_review', folder: 'review', reason: cli.review });
  }
});
