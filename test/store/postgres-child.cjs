// A second process on the PostgreSQL ledger, for the concurrency tests: it runs the built dist/
// (test/support/global-setup.js builds it) the way the mailbox worker and n8n workers run.
//   node postgres-child.cjs lease   '<store config json>' <mailbox>
//   node postgres-child.cjs request '<store config json>' <signup|campaign> <first> <last> <batch size>
// Prints one JSON line per step on stdout; `request` waits for a line on stdin before it starts,
// so the parent can start two of them at the same moment.
const { join } = require('node:path');
const { createInterface } = require('node:readline');

const dist = join(__dirname, '..', '..', 'dist', 'core');
const { openStore } = require(join(dist, 'store', 'open.js'));
const { Ledger, RequestItemSchema } = require(join(dist, 'ledger'));
const { parseInput } = require(join(dist, 'validation.js'));

/** Writes one line; resolves once it is out (a pipe write is asynchronous, and exit would cut it). */
const say = (message) => new Promise((resolve) => process.stdout.write(`${JSON.stringify(message)}\n`, resolve));

async function main() {
  const [command, configJson, ...args] = process.argv.slice(2);
  const store = await openStore(JSON.parse(configJson));

  if (command === 'lease') {
    const [mailbox] = args;
    say({ step: 'waiting' });
    const lease = await store.acquireMailboxLease(mailbox);
    say({ step: 'held', pid: process.pid });
    lease.lost.then((error) => say({ step: 'lost', error: error.message }));
    setInterval(() => undefined, 60_000); // hold until killed
    return;
  }

  if (command === 'request') {
    const [mode, first, last, batch] = args;
    const ledger = new Ledger(store, { secret: process.env.LEDGER_SECRET });
    const items = [];
    for (let i = Number(first); i <= Number(last); i++) {
      items.push(parseInput(RequestItemSchema, { email: `person${i}@example.org`, consentText: 'Ja, houd mij op de hoogte.' }));
    }
    say({ step: 'ready' });
    await new Promise((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
    // One request per batch, one after another, as a workflow sends its items.
    const results = [];
    for (let i = 0; i < items.length; i += Number(batch)) results.push(...(await ledger.request(items.slice(i, i + Number(batch)), mode)));
    await ledger.close();
    await say({
      step: 'done',
      results: results.map((r) => ({ email: r.email, subjectId: r.subjectId, outcome: r.outcome, changed: r.topics.filter((t) => t.outcome === 'changed').length })),
    });
    process.exit(0);
  }
  throw new Error(`unknown command ${command}`);
}

main().catch(async (error) => {
  await say({ step: 'error', error: String(error && error.stack) });
  process.exit(1);
});
