import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '../../core/clock';
import { Ledger } from '../../core/ledger';

/**
 * The requests register on the command line (issue 13): requests made by CLI are logged next to
 * the mailbox's, listed with the filters, extended once, closed by hand. The built CLI, as a user
 * runs it; every instant is given with --now (never today's date).
 */
const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-test-secret-0123456789-abcdefghijklmnop';
let dir: string;
let db: string;

function cli(args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8', env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET } });
  const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, lines, stderr: run.stderr, first: lines[0] };
}

/** A mail's request, recorded in the ledger file as the mailbox worker records one. */
async function mailRequest(messageId: string, kind: string, receivedAt: string, outcome: string) {
  const { ledger } = await Ledger.open({ store: { kind: 'sqlite', path: db }, settings: { secret: SECRET }, clock: fixedClock(new Date(receivedAt)) });
  try {
    await ledger.recordRequest({ messageId, mailbox: 'INBOX', kind, receivedAt: new Date(receivedAt), address: 'kim@example.nl', outcome });
  } finally {
    await ledger.close();
  }
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-requests-'));
  db = join(dir, 'ledger.sqlite');
  expect(cli(['init']).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const T0 = '2026-11-23T09:00:00.000Z';
const ids = (run: ReturnType<typeof cli>) => run.lines.map((l) => l.id);

test('erase, unsubscribe and an export answering an access request by CLI are in the register with who handled them; a plain export is not', () => {
  expect(cli(['request', 'anna@example.nl', '--consent-text', 'Ja, de nieuwsbrief.', '--now', T0]).code).toBe(0);
  const unsubscribed = cli(['unsubscribe', 'anna@example.nl', '--operator', 'Eva de Vries', '--now', '2026-11-24T09:00:00Z']);
  expect(unsubscribed.first).toMatchObject({ outcome: 'unsubscribed', requestId: expect.stringMatching(/^cli-/) });
  expect(cli(['export', 'anna@example.nl', '--now', '2026-11-24T10:00:00Z']).first).not.toHaveProperty('requestId');
  const exported = cli(['export', 'anna@example.nl', '--as-request', '--now', '2026-11-24T11:00:00Z']);
  expect(exported.first).toMatchObject({ subject: { email: 'anna@example.nl' }, requestId: expect.stringMatching(/^cli-/) });
  const erased = cli(['erase', 'anna@example.nl', '--now', '2026-11-25T09:00:00Z']);
  expect(erased.first).toMatchObject({ outcome: 'erased', requestId: expect.stringMatching(/^cli-/) });

  const register = cli(['requests', '--now', '2026-11-25T10:00:00Z']);
  expect(register.code).toBe(0);
  expect(register.lines).toEqual([
    expect.objectContaining({ id: unsubscribed.first!.requestId, channel: 'cli', kind: 'unsubscribe', status: 'closed', outcome: 'unsubscribed', handledBy: 'Eva de Vries', receivedAt: '2026-11-24T09:00:00.000Z', dueAt: '2026-12-24T09:00:00.000Z', address: null }),
    expect.objectContaining({ id: exported.first!.requestId, kind: 'access', status: 'closed', outcome: 'answered', handledBy: 'operator (CLI)', dueAt: '2026-12-24T11:00:00.000Z', address: null }),
    expect.objectContaining({ id: erased.first!.requestId, kind: 'erase', status: 'closed', outcome: 'erased', handledBy: 'operator (CLI)', dueAt: '2026-12-25T09:00:00.000Z', address: null, subjectId: erased.first!.subjectId }),
  ]);
  // The erasure took the address off the person's earlier requests too; nothing is open.
  expect(cli(['requests', '--open', '--now', '2026-11-25T10:00:00Z']).lines).toEqual([]);
});

test('the filters: open, overdue, due within DAYS; most urgent first; bounces are not requests', async () => {
  await mailRequest('<old@example.nl>', 'access', '2026-10-01T08:00:00.000Z', 'awaiting_operator');
  await mailRequest('<new@example.nl>', 'erase', '2026-11-20T08:00:00.000Z', 'awaiting_verification');
  await mailRequest('<done@example.nl>', 'unsubscribe', '2026-11-01T08:00:00.000Z', 'unsubscribed');
  await mailRequest('<bounce@example.nl>', 'bounce', '2026-11-01T08:00:00.000Z', 'needs_review');
  const now = '2026-11-25T09:00:00Z';

  expect(ids(cli(['requests', '--now', now]))).toEqual(['<old@example.nl>', '<done@example.nl>', '<new@example.nl>']);
  const open = cli(['requests', '--open', '--now', now]);
  expect(open.lines).toEqual([
    expect.objectContaining({ id: '<old@example.nl>', channel: 'mail', status: 'open', overdue: true, dueAt: '2026-11-01T08:00:00.000Z', daysLeft: -24, address: 'kim@example.nl', handledBy: null }),
    expect.objectContaining({ id: '<new@example.nl>', status: 'open', overdue: false, dueAt: '2026-12-20T08:00:00.000Z', daysLeft: 25 }),
  ]);
  // The mailbox worker answered this one on its own.
  expect(cli(['requests', '--now', now]).lines[1]).toMatchObject({ id: '<done@example.nl>', status: 'closed', handledBy: 'mailbox worker (INBOX)' });
  expect(ids(cli(['requests', '--overdue', '--now', now]))).toEqual(['<old@example.nl>']);
  // Due within 24 days: not yet the one due in 25 days (overdue ones are due within any term).
  expect(ids(cli(['requests', '--due-within', '24', '--now', now]))).toEqual(['<old@example.nl>']);
  expect(ids(cli(['requests', '--due-within', '25', '--now', now]))).toEqual(['<old@example.nl>', '<new@example.nl>']);
  // --overdue is the narrower: with --due-within, only the overdue ones.
  expect(ids(cli(['requests', '--overdue', '--due-within', '30', '--now', now]))).toEqual(['<old@example.nl>']);

  const bad = cli(['requests', '--due-within', 'week', '--now', now]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--due-within: give a number of days');
});

test('extend: once, two more months, with a reason, within the first month; close: by hand, with a note, once', async () => {
  await mailRequest('<kim@example.nl>', 'access', '2026-11-20T08:00:00.000Z', 'awaiting_operator');
  await mailRequest('<late@example.nl>', 'access', '2026-10-01T08:00:00.000Z', 'awaiting_operator');
  const now = '2026-11-25T09:00:00Z';

  const noReason = cli(['requests', 'extend', '<kim@example.nl>', '--now', now]);
  expect(noReason.code).toBe(2);
  expect(noReason.stderr).toContain('--reason: say why');
  const extended = cli(['requests', 'extend', '<kim@example.nl>', '--reason', 'the export spans three systems', '--operator', 'Eva de Vries', '--now', now]);
  expect(extended.first).toMatchObject({
    id: '<kim@example.nl>', status: 'open', dueAt: '2027-02-20T08:00:00.000Z', extendedAt: '2026-11-25T09:00:00.000Z', extensionReason: 'the export spans three systems', handledBy: 'Eva de Vries',
  });
  const again = cli(['requests', 'extend', '<kim@example.nl>', '--reason', 'still busy', '--now', '2026-11-26T09:00:00Z']);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('was extended already on 2026-11-25T09:00:00.000Z; Art. 12(3) allows one extension');
  // Not due within the first month any more: listed under the extended term.
  expect(ids(cli(['requests', '--due-within', '30', '--now', now]))).toEqual(['<late@example.nl>']);
  const tooLate = cli(['requests', 'extend', '<late@example.nl>', '--reason', 'busy', '--now', now]);
  expect(tooLate.code).toBe(2);
  expect(tooLate.stderr).toContain('an extension must be made within the first month');
  expect(cli(['requests', 'extend', '<nobody@example.nl>', '--reason', 'busy', '--now', now]).stderr).toContain('no request "<nobody@example.nl>" in the request log');

  expect(cli(['requests', 'close', '<late@example.nl>', '--now', now]).stderr).toContain('--note: say how the request was answered');
  const closed = cli(['requests', 'close', '<late@example.nl>', '--note', 'export sent by registered letter', '--now', now]);
  expect(closed.first).toMatchObject({ id: '<late@example.nl>', status: 'closed', overdue: false, outcome: 'closed', closedAt: '2026-11-25T09:00:00.000Z', closeNote: 'export sent by registered letter' });
  const twice = cli(['requests', 'close', '<late@example.nl>', '--note', 'again', '--now', now]);
  expect(twice.code).toBe(2);
  expect(twice.stderr).toContain('is closed already (outcome closed: export sent by registered letter)');
  expect(ids(cli(['requests', '--open', '--now', now]))).toEqual(['<kim@example.nl>']);

  // An export that answers the mail's access request closes it in the register.
  expect(cli(['request', 'kim@example.nl', '--consent-text', 'Ja.', '--now', now]).code).toBe(0);
  expect(cli(['export', 'kim@example.nl', '--request', '<kim@example.nl>', '--operator', 'Eva de Vries', '--now', now]).first).toMatchObject({ requestId: '<kim@example.nl>' });
  expect(cli(['requests', '--now', now]).lines.find((l) => l.id === '<kim@example.nl>')).toMatchObject({ status: 'closed', outcome: 'answered', handledBy: 'Eva de Vries', channel: 'mail' });
  expect(cli(['requests', '--open', '--now', now]).lines).toEqual([]);
  expect(cli(['requests', 'reopen', '<kim@example.nl>', '--now', now]).stderr).toContain('use: requests [--open]');
});

test('add: a request that came by letter or phone is recorded open, due a month after it came in, until it is answered', () => {
  const now = '2026-11-25T09:00:00Z';
  expect(cli(['requests', 'add', 'piet@example.nl', '--now', now]).stderr).toContain('--kind: what the person asks: access, erase or unsubscribe');
  expect(cli(['requests', 'add', '--kind', 'complaint', '--now', now]).stderr).toContain('kind: one of unsubscribe, erase, access');
  expect(cli(['requests', 'add', '--kind', 'access', '--received', '2026-12-01', '--now', now]).stderr).toContain('is in the future');

  const letter = cli(['requests', 'add', '--kind', 'access', 'piet@example.nl', '--received', '2026-11-02', '--note', 'letter, scanned as DOC-77', '--operator', 'Eva de Vries', '--now', now]);
  expect(letter.code).toBe(0);
  expect(letter.first).toMatchObject({
    id: expect.stringMatching(/^operator-/), channel: 'operator', kind: 'access', status: 'open', overdue: false, outcome: 'received',
    receivedAt: '2026-11-02T00:00:00.000Z', dueAt: '2026-12-02T00:00:00.000Z', daysLeft: 7, address: 'piet@example.nl', handledBy: 'Eva de Vries',
  });
  const phone = cli(['requests', 'add', '--kind', 'erase', '--phone', '0612345678', '--now', now]).first!;
  expect(phone).toMatchObject({ channel: 'operator', kind: 'erase', address: '+31612345678', receivedAt: '2026-11-25T09:00:00.000Z', handledBy: null });
  expect(ids(cli(['requests', '--due-within', '7', '--now', now]))).toEqual([letter.first!.id]);

  // Answered by erasing: the register has the outcome, the address is gone.
  expect(cli(['erase', '--phone', '0612345678', '--request', phone.id as string, '--now', now]).first).toMatchObject({ outcome: 'not_found', requestId: phone.id });
  expect(cli(['requests', '--now', now]).lines.find((l) => l.id === phone.id)).toMatchObject({ status: 'closed', outcome: 'not_found', address: null, handledBy: 'operator (CLI)' });
  expect(ids(cli(['requests', '--open', '--now', now]))).toEqual([letter.first!.id]);
});
