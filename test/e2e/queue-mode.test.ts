import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startQueueMode, type QueueMode } from '../support/queue-mode';
import { launchChromium, watchDialogs } from '../support/browser';
import { waitFor } from '../support/wait';
import { memoryAfterGc } from '../../scripts/process-memory.cjs';
import { concurrently, linkTo, mails, mailsByAddress, PERSON_USER_AGENT, screenshotPath, SIGNUP_THANKS, waitForMailCount } from './support/try-out';

// n8n 2.40 in queue mode, for real (scripts/queue-mode.mjs): one main, two workers, one webhook
// processor, Redis from Debian's package, n8n's database and the consent ledger on a private
// PostgreSQL. People sign up through the webform sample's form on the webhook processor, all at
// once, then open and confirm their links, all at once; a worker is killed (SIGKILL) while a batch
// of signups is in flight. What a user checks: everyone has exactly the events they should, one
// confirmation mail each, no confirmation lost, and the work ran on the workers.
//
// CI runs a smaller size; the issue's full size (2,000 signups, 500 in the crash batch):
//   QUEUE_E2E_FULL=1 npx jest test/e2e/queue-mode.test.ts
// The ledger's clock is n8n's own (CONSENT_CLOCK_FILE stays empty) until the crash test lets a
// few minutes pass before people try again.
// Each run prints a BENCH line with signups/s (posted to confirmation mail delivered) and
// confirmations/s (POST answered); no test asserts a time.

const FULL = process.env.QUEUE_E2E_FULL === '1';
const SIGNUPS = FULL ? 2000 : 200;
const CRASH_SIGNUPS = FULL ? 500 : 80;
/** Deadlines grow with the size: the full size's 2,000 signups took over 15 minutes here (load 30). */
const SCALE = FULL ? 5 : 1;
const CONFIRM_SUBJECT = 'Please confirm your subscription to Example Shop';
const TICKED = JSON.stringify(['Yes, keep me informed by email']);

const email = (batch: string, i: number) => `${batch}-${String(i).padStart(4, '0')}@example.test`;

/** The signup form as a browser posts it (n8n's Form Trigger: multipart, fields by position). */
async function signUp(qm: QueueMode, address: string, name: string): Promise<{ status: number; body: string }> {
  const form = new FormData();
  form.append('field-0', name);
  form.append('field-1', address);
  form.append('field-3', TICKED);
  const response = await fetch(qm.urls.signupForm, { method: 'POST', body: form, headers: { 'user-agent': PERSON_USER_AGENT } });
  return { status: response.status, body: await response.text() };
}

// How many requests are on the wire at once. With 200 at once on this 2-core machine (every n8n
// process on it too) n8n's database ping timed out and the webhook processor answered 503
// "Database is not ready!" to a fifth of the signups (scripts/queue-mode.mjs now gives it more time).
const CLIENTS = 50;

describe('n8n queue mode: main, two workers, a webhook processor, Redis, PostgreSQL', () => {
  let qm: QueueMode;
  let ledgerDb: pg.Client;
  let n8nDb: pg.Client;
  const bench: Record<string, string> = {};
  // The ledger's clock (core/clock.ts fileClock): empty, the system time.
  const clockDir = mkdtempSync(join(tmpdir(), 'queue-clock-'));
  const clockFile = join(clockDir, 'ledger-clock.txt');

  beforeAll(async () => {
    // n8n's own queue settings (a job's Redis lock 60 s, renewed every 10 s): shorter locks made a
    // busy worker on this 2-core machine lose jobs that were still running.
    qm = await startQueueMode({ workers: 2, webhookProcessors: 1, n8nEnv: { CONSENT_CLOCK_FILE: clockFile } });
    ledgerDb = new pg.Client({ connectionString: qm.ledger.url });
    await ledgerDb.connect();
    n8nDb = new pg.Client({ connectionString: qm.n8nDatabaseUrl });
    await n8nDb.connect();
  }, 10 * 60_000);

  afterAll(async () => {
    if (Object.keys(bench).length > 0) {
      console.log(`BENCH queue_mode ${Object.entries(bench).map(([k, v]) => `${k}=${v}`).join(' ')} (n8n ${qm?.n8nVersion}, 1 main, 2 workers x concurrency 10, 1 webhook processor)`);
    }
    await ledgerDb?.end();
    await n8nDb?.end();
    await qm?.stop();
    rmSync(clockDir, { recursive: true, force: true });
  }, 120_000);

  /** Per address: how many ledger events of each action for the newsletter topic, as "action xN" in action order
   * (a confirmation also records an event for the e-marketing purpose; the topic's events are what count here). */
  async function eventsByAddress(prefix: string): Promise<Map<string, string>> {
    const { rows } = await ledgerDb.query<{ email: string; action: string; n: number }>(
      `SELECT s.email, e.action, count(*)::int AS n FROM consent.events e JOIN consent.subjects s ON s.id = e.subject_id
       WHERE s.email LIKE $1 AND e.topic = 'newsletter' GROUP BY s.email, e.action ORDER BY e.action`,
      [`${prefix}-%`],
    );
    const map = new Map<string, string>();
    for (const row of rows) map.set(row.email, [map.get(row.email), `${row.action} x${row.n}`].filter(Boolean).join(', '));
    return map;
  }

  async function statusesOf(prefix: string): Promise<Record<string, number>> {
    const { rows } = await ledgerDb.query<{ status: string; n: number }>(
      `SELECT c.status, count(*)::int AS n FROM consent.consents c JOIN consent.subjects s ON s.id = c.subject_id
       WHERE s.email LIKE $1 AND c.topic = 'newsletter' GROUP BY c.status`,
      [`${prefix}-%`],
    );
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Executions per status in n8n's own database. */
  async function executionStatuses(): Promise<Record<string, number>> {
    const { rows } = await n8nDb.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM execution_entity GROUP BY status');
    return Object.fromEntries(rows.map((r) => [r.status, r.n]));
  }

  /** Execution ids a worker's log says it started, and the ones it says it finished. */
  function workerLog(name: string): { started: Set<string>; finished: Set<string> } {
    const log = readFileSync(qm.instances[name].logFile, 'utf8');
    return {
      started: new Set([...log.matchAll(/Worker started execution (\d+) /g)].map((m) => m[1])),
      finished: new Set([...log.matchAll(/Worker finished execution (\d+) /g)].map((m) => m[1])),
    };
  }

  const people = Array.from({ length: SIGNUPS }, (_, i) => email('person', i));
  let links: Map<string, string>;
  /** The webhook processor's resident memory after a full garbage collection (bytes): before the first signup, and after every link was confirmed. */
  const webhookRss: { before?: number; afterLinks?: number } = {};
  const webhookMemory = async () => (await memoryAfterGc(qm.instances['webhook-1'])).rss;

  test(`${SIGNUPS} signups posted concurrently (${CLIENTS} at a time) to the webhook processor: one confirmation mail each`, async () => {
    webhookRss.before = await webhookMemory();
    const started = performance.now();
    const answers = await concurrently(people, CLIENTS, (address) => signUp(qm, address, `Person ${address.slice(7, 11)}`));
    const posted = performance.now();
    // Each person got the form's answer on submission (the form then shows the thank-you text).
    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    await waitForMailCount(qm, SIGNUPS, SCALE * 5 * 60_000);
    const delivered = performance.now();

    const sent = await mails(qm);
    const byAddress = mailsByAddress(sent);
    expect(sent).toHaveLength(SIGNUPS);
    expect(people.filter((p) => byAddress.get(p)?.length !== 1)).toEqual([]);
    expect(sent.filter((m) => m.subject !== CONFIRM_SUBJECT)).toEqual([]);
    links = new Map(people.map((p) => [p, linkTo(byAddress.get(p)![0], 'confirm')]));

    const events = await eventsByAddress('person');
    expect(people.filter((p) => events.get(p) !== 'signup x1').map((p) => `${p}: ${events.get(p)}`)).toEqual([]);
    expect(await statusesOf('person')).toEqual({ optin: SIGNUPS });
    bench.signups = String(SIGNUPS);
    bench.signups_per_s = (SIGNUPS / ((delivered - started) / 1000)).toFixed(1);
    bench.signup_posts_per_s = (SIGNUPS / ((posted - started) / 1000)).toFixed(1);
  }, SCALE * 15 * 60_000);

  test('every link opened (GET) concurrently: the page, and nobody is confirmed by it', async () => {
    expect(links).toBeDefined();
    const started = performance.now();
    const pages = await concurrently(people, CLIENTS, async (p) => {
      const response = await fetch(links.get(p)!, { headers: { 'user-agent': PERSON_USER_AGENT } });
      return { status: response.status, body: await response.text() };
    });
    bench.pages_per_s = (SIGNUPS / ((performance.now() - started) / 1000)).toFixed(1);

    expect(pages.filter((page) => page.status !== 200 || !page.body.includes('Yes, confirm'))).toEqual([]);
    expect(await statusesOf('person')).toEqual({ optin: SIGNUPS });
  }, SCALE * 10 * 60_000);

  test('every link confirmed (POST) concurrently, a tenth of them twice (a double click): each person confirmed exactly once', async () => {
    expect(links).toBeDefined();
    const posts = [...people, ...people.filter((_, i) => i % 10 === 0)];
    const started = performance.now();
    const answers = await concurrently(posts, CLIENTS, async (p) => {
      const response = await fetch(links.get(p)!, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': PERSON_USER_AGENT },
        body: '',
      });
      return { status: response.status, body: await response.text() };
    });
    bench.confirmations_per_s = (posts.length / ((performance.now() - started) / 1000)).toFixed(1);

    expect(answers.filter((a) => a.status !== 200)).toEqual([]);
    const events = await eventsByAddress('person');
    expect(people.filter((p) => events.get(p) !== 'confirm x1, signup x1').map((p) => `${p}: ${events.get(p)}`)).toEqual([]);
    expect(await statusesOf('person')).toEqual({ confirmed: SIGNUPS });
    // Confirming sends nothing: still the one confirmation mail per person.
    expect(await mails(qm)).toHaveLength(SIGNUPS);
    const { rows } = await ledgerDb.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM consent.messages m JOIN consent.subjects s ON s.id = m.subject_id WHERE s.email LIKE 'person-%'`,
    );
    expect(rows[0].n).toBe(SIGNUPS);
    webhookRss.afterLinks = await webhookMemory();
  }, SCALE * 10 * 60_000);

  test("the executions ran on the workers, both of them, and none failed (n8n's database and the workers' logs)", async () => {
    const links = SIGNUPS + Math.ceil(SIGNUPS / 10) + SIGNUPS;
    const expected = SIGNUPS + links;
    // The form answers on submission, so no signup's execution waits for a browser; a link's run
    // may still be saving its result after its page went out.
    await waitForQuiet(new Set(), 2 * 60_000);
    expect(await executionStatuses()).toEqual({ success: expected });
    const ran = ['worker-1', 'worker-2'].map((w) => workerLog(w).started.size);
    expect(ran[0]).toBeGreaterThan(0);
    expect(ran[1]).toBeGreaterThan(0);
    expect(ran[0] + ran[1]).toBe(expected);
    // The webhook processor and the main hand executions to Redis; they run none themselves.
    for (const name of ['main', 'webhook-1']) expect(readFileSync(qm.instances[name].logFile, 'utf8')).not.toMatch(/Worker started execution/);
    bench.worker_split = `${ran[0]}/${ran[1]}`;
  });

  // n8n 2.40 keeps one expression isolate (about 10 MB, outside the JavaScript heap) for every form
  // post whose Form Trigger waits for a Form ending node (n8n issue 39137): the sample's form used to,
  // and its webhook processor went from 0.29 to 2.5 GB in this test (11 MB a post) and was killed by
  // the kernel at 21 GB in the full size. The sample's form now answers on submission. What an
  // operator watches: the webhook processor's memory does not grow with the number of people.
  test('the webhook processor keeps no memory per form post (resident memory before the signups and after the links, each after a full garbage collection)', () => {
    const { before, afterLinks } = webhookRss;
    expect(before).toBeGreaterThan(0);
    expect(afterLinks).toBeGreaterThan(0);
    bench.webhook_rss_mb = `${(before! / 2 ** 20).toFixed(0)}->${(afterLinks! / 2 ** 20).toFixed(0)}`;
    // The leak kept 10 MB per form post. Without it the process settles about 200 MB above a fresh
    // start, whatever the number of posts (n8n makes and disposes of an isolate per form post; a
    // burst of 50 at once holds several hundred MB until they are gone, so this reads after the links).
    expect((afterLinks! - before!) / SIGNUPS).toBeLessThan(2 * 2 ** 20);
  });

  /** How late the sandbox's SMTP server answers each mail's DATA (0: at once). */
  async function smtpDelay(ms: number): Promise<void> {
    const response = await fetch(`${qm.sandbox.apiUrl}/smtp-delay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ms }) });
    expect(response.status).toBe(200);
  }

  /** Waits until n8n has no execution new or running but the given ones (a dead worker's). */
  async function waitForQuiet(except: Set<string>, timeoutMs: number): Promise<void> {
    let busy: string[] = [];
    await waitFor(
      async () => {
        const { rows } = await n8nDb.query<{ id: string }>("SELECT id::text AS id FROM execution_entity WHERE status IN ('new', 'running')");
        busy = rows.map((r) => r.id).filter((id) => !except.has(id));
        return busy.length === 0;
      },
      { what: () => `n8n to have no execution in progress but the killed worker's (still: ${busy.join(', ')})`, timeoutMs, intervalMs: 500 },
    );
  }

  // Request Consent writes the signup (its event and the consent's lastSentAt) in one transaction and
  // sends the mail after it; a worker killed between the two leaves a signup without a mail. Before
  // the list-bombing guard counted only mails recorded as sent (with a short in-flight time), the
  // person's second try was refused for resendWindowMinutes: 4 of the 10 executions cut by one kill
  // lost their confirmation. QUEUE_E2E_FULL=1 runs 500 signups.
  // The mail server answers each mail 1.5 s late meanwhile (the sandbox's SMTP delay, as a busy
  // server does): a worker runs a signup in a fraction of a second, faster than the form posts
  // arrive, so without it a kill found the worker idle (0 executions under way at 500 signups).
  test(`a worker killed (SIGKILL) with ${CRASH_SIGNUPS} signups in flight, then restarted; who got no mail tries again: no confirmation lost, none doubled`, async () => {
    const crashPeople = Array.from({ length: CRASH_SIGNUPS }, (_, i) => email('crash', i));
    const mailsBefore = (await mails(qm)).length;
    await smtpDelay(1500);
    const posting = concurrently(crashPeople, CLIENTS, (address) => signUp(qm, address, 'Crash Test'));
    // Killed while the batch is being worked on: its first mails are out, most are not.
    await waitForMailCount(qm, mailsBefore + Math.ceil(CRASH_SIGNUPS / 10), SCALE * 5 * 60_000);
    await qm.kill('worker-1');
    const { started, finished } = workerLog('worker-1');
    const cut = new Set([...started].filter((id) => !finished.has(id)));
    await qm.start('worker-1');
    const answers = await posting;
    await smtpDelay(0);
    // n8n does not run a dead worker's job again (its queue allows no stalled job a second run):
    // the rest of the batch finishes on the workers, the cut executions stay as they were.
    await waitForQuiet(cut, SCALE * 5 * 60_000);

    // A person who got no confirmation mail fills in the form again a few minutes later, as people do.
    const delivered = mailsByAddress(await mails(qm));
    const retrying = crashPeople.filter((p) => !delivered.has(p));
    const beforeRetry = await eventsByAddress('crash');
    writeFileSync(clockFile, new Date(Date.now() + 5 * 60_000).toISOString());
    const retries = await concurrently(retrying, CLIENTS, (address) => signUp(qm, address, 'Crash Test'));
    await waitForQuiet(cut, SCALE * 5 * 60_000);
    await waitForMailCount(qm, mailsBefore + CRASH_SIGNUPS, 60_000).catch(() => undefined); // the assertions below say who is missing

    const mailed = mailsByAddress(await mails(qm));
    const events = await eventsByAddress('crash');
    const { rows: recorded } = await ledgerDb.query<{ email: string; n: number }>(
      `SELECT s.email, count(*)::int AS n FROM consent.messages m JOIN consent.subjects s ON s.id = m.subject_id WHERE s.email LIKE 'crash-%' GROUP BY s.email`,
    );
    const { rows: cutStatus } = await n8nDb.query<{ status: string; n: number }>(
      'SELECT status, count(*)::int AS n FROM execution_entity WHERE id = ANY($1::int[]) GROUP BY status',
      [[...cut].map(Number)],
    );
    console.log(
      `queue-mode crash: worker-1 killed with ${cut.size} execution(s) of its own under way (n8n leaves them: ${JSON.stringify(Object.fromEntries(cutStatus.map((r) => [r.status, r.n])))}); ` +
        `${retrying.length} person(s) without a mail tried again; ${answers.filter((a) => a.status !== 200).length} form post(s) answered otherwise than 200; ` +
        `mails recorded in the ledger: ${recorded.length} of ${CRASH_SIGNUPS} people`,
    );

    expect(cut.size).toBeGreaterThan(0); // the kill hit work in progress, or this test proves nothing
    expect(retrying.length).toBeGreaterThan(0); // someone was left without a mail, or the retry proves nothing
    expect(retries.filter((a) => a.status !== 200)).toEqual([]);
    // Nobody lost: one confirmation mail each, retry or not; nobody mailed twice.
    expect(crashPeople.filter((p) => mailed.get(p)?.length !== 1).map((p) => `${p}: ${mailed.get(p)?.length ?? 0} mails, ledger: ${events.get(p) ?? 'nothing'}`)).toEqual([]);
    // One signup per form post that reached the ledger: a cut execution that wrote its signup
    // keeps it (the person did ask, with that post's evidence) and the retry adds its own; one cut
    // before its commit left nothing. Whoever did not retry asked once.
    const expected = (p: string) => (retrying.includes(p) ? (beforeRetry.has(p) ? 'signup x2' : 'signup x1') : 'signup x1');
    expect(crashPeople.filter((p) => events.get(p) !== expected(p)).map((p) => `${p}: ${events.get(p) ?? 'nothing'}, expected ${expected(p)}`)).toEqual([]);
    expect(recorded.filter((r) => r.n > 1)).toEqual([]);

    // And each of them can confirm, once.
    const confirms = await concurrently(crashPeople, CLIENTS, async (p) => {
      const response = await fetch(linkTo(mailed.get(p)![0], 'confirm'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': PERSON_USER_AGENT },
        body: '',
      });
      return response.status;
    });
    expect(confirms.filter((status) => status !== 200)).toEqual([]);
    expect(await statusesOf('crash')).toEqual({ confirmed: CRASH_SIGNUPS });
    const after = await eventsByAddress('crash');
    expect(crashPeople.filter((p) => after.get(p) !== `confirm x1, ${expected(p)}`).map((p) => `${p}: ${after.get(p)}`)).toEqual([]);
    writeFileSync(clockFile, '');
  }, SCALE * 15 * 60_000);

  // The signups above post the form as data; a person's browser shows the form's answer.
  test("a person in a browser: the form from the webhook processor, the sample's thank-you text, the mail, and the run finished", async () => {
    const browser = await launchChromium();
    try {
      const context = await browser.newContext({ userAgent: PERSON_USER_AGENT });
      const page = await context.newPage();
      const dialogs = watchDialogs(page);
      const address = email('browser', 1);
      const mailsBefore = (await mails(qm)).length;
      const { rows: before } = await n8nDb.query<{ id: string }>('SELECT coalesce(max(id), 0)::text AS id FROM execution_entity');
      await page.goto(qm.urls.signupForm);
      await page.getByRole('textbox', { name: 'Name' }).fill('Browser Person');
      await page.getByRole('textbox', { name: 'Email' }).fill(address);
      await page.getByRole('checkbox', { name: 'Yes, keep me informed by email' }).check();
      await page.getByRole('button', { name: 'Send' }).click();
      await page.getByText(SIGNUP_THANKS).waitFor({ timeout: 120_000 });
      expect(await page.locator('body').innerText()).toContain('please check your inbox: we sent you a link to confirm');
      await page.screenshot({ path: screenshotPath('queue-mode-thank-you'), fullPage: true });
      await context.close();
      expect(dialogs).toEqual([]);

      await waitForMailCount(qm, mailsBefore + 1, 120_000);
      expect(mailsByAddress(await mails(qm)).get(address)?.map((m) => m.subject)).toEqual([CONFIRM_SUBJECT]);
      expect(await eventsByAddress('browser')).toEqual(new Map([[address, 'signup x1']]));
      // This person's run is the one execution since, and it finished.
      const statusSince = async () =>
        (await n8nDb.query<{ status: string }>('SELECT status FROM execution_entity WHERE id > $1 ORDER BY id', [before[0].id])).rows.map((r) => r.status);
      let seen: string[] = [];
      await waitFor(async () => (seen = await statusSince()).join() === 'success', {
        what: () => `n8n to finish the browser person's run (executions since: ${seen.join(', ') || 'none'})`,
        timeoutMs: 120_000,
        intervalMs: 500,
      });
      expect(seen).toEqual(['success']);
    } finally {
      await browser.close();
    }
  }, 5 * 60_000);
});
