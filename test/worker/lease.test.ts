import { Ledger } from '../../core/ledger';
import { openStore } from '../../core/store/open';
import { MailboxWorker, type WorkerLogLine } from '../../worker/mailbox';
import { rawMail } from '../core/mail/fixtures';
import { Dovecot } from '../support/dovecot';
import { SECRET } from '../support/ledger';
import { sharedPostgres, stopSharedPostgres, type PostgresCluster } from '../support/postgres';
import { SmtpPeer } from '../support/smtp-peer';
import { waitFor } from '../support/wait';

/** With the PostgreSQL ledger several workers may run for one mailbox: one holds it, the others wait. */
let cluster: PostgresCluster;
let database: string;
let dovecot: Dovecot;
let peer: SmtpPeer;

beforeAll(async () => {
  cluster = await sharedPostgres();
  database = await cluster.createDatabase();
  dovecot = await Dovecot.start();
  peer = await SmtpPeer.start();
});
afterAll(async () => {
  await peer?.stop();
  await dovecot?.stop();
  await stopSharedPostgres();
});

async function startWorker(name: string, lines: (WorkerLogLine & { worker: string })[]) {
  // A ledger of its own per worker: its own pool and lease connection, as in another process.
  const store = await openStore({ kind: 'postgres', host: cluster.host, port: cluster.port, user: cluster.user, database, schema: 'lease_test' });
  const ledger = new Ledger(store, { secret: SECRET });
  const worker = new MailboxWorker(
    ledger,
    { imap: dovecot.imapSettings(), smtp: { ...peer.settings(), pool: false }, replyFrom: 'privacy@shop.example', organisation: 'De Winkel', baseUrl: 'https://shop.example/consent', verifyDkim: false, pollSeconds: 1 },
    { log: (l) => lines.push({ ...l, worker: name }) },
  );
  const running = worker.run();
  return {
    worker,
    async stop() {
      await worker.stop();
      await running;
      await ledger.close();
    },
  };
}

it('the second worker waits for the mailbox and takes over when the first stops', async () => {
  const lines: (WorkerLogLine & { worker: string })[] = [];
  const a = await startWorker('a', lines);
  await waitFor(() => lines.some((l) => l.worker === 'a' && l.event === 'connected'), { what: 'worker a connected' });
  const b = await startWorker('b', lines);
  try {
    await waitFor(() => lines.some((l) => l.worker === 'b' && l.event === 'waiting_for_lease'), { what: 'worker b waiting for the lease' });
    await dovecot.append([rawMail({ messageId: '<while-a@x>', subject: 'Afmelden' })]);
    await waitFor(() => lines.some((l) => l.event === 'mail' && l.messageId === '<while-a@x>'), { what: 'the mail <while-a@x> handled' });
    expect(lines.some((l) => l.worker === 'b' && l.event === 'connected')).toBe(false);

    await a.stop();
    await waitFor(() => lines.some((l) => l.worker === 'b' && l.event === 'connected'), { what: 'worker b connected (holding the lease)' });
    await dovecot.append([rawMail({ messageId: '<while-b@x>', subject: 'Unsubscribe' })]);
    await waitFor(() => lines.some((l) => l.event === 'mail' && l.messageId === '<while-b@x>'), { what: 'the mail <while-b@x> handled' });
  } finally {
    await b.stop();
  }
  const mails = lines.filter((l) => l.event === 'mail').map((l) => [l.worker, l.messageId]);
  expect(mails).toEqual([
    ['a', '<while-a@x>'],
    ['b', '<while-b@x>'],
  ]);
});
