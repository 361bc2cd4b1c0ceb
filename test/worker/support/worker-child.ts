/**
 * A mailbox worker in a process of its own, started the way the CLI starts it (runWorkerCommand):
 *   node -r register-ts.js worker-child.ts <ledger.sqlite> <settings.json>
 * Settings come from the file and CONSENT_* variables; the ledger secret from CONSENT_SECRET.
 * One JSON log line per event on stdout.
 */
import { Ledger } from '../../../core/ledger';
import { openStore } from '../../../core/store/open';
import { runWorkerCommand } from '../../../worker/cli';

async function main() {
  const [ledgerPath, config] = process.argv.slice(2);
  const store = await openStore({ kind: 'sqlite', path: ledgerPath });
  const ledger = new Ledger(store, { secret: process.env.CONSENT_SECRET ?? '' });
  try {
    await runWorkerCommand(ledger, { config, once: process.env.WORKER_ONCE === '1' });
  } finally {
    await ledger.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`worker-child: ${(error as Error).stack ?? error}\n`);
    process.exit(1);
  },
);
