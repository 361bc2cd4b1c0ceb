import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Who acted, as the CLI records it: the person confirming through it, an operator lifting a suppression. */
const BIN = join(__dirname, '..', '..', 'dist', 'cli', 'main.js');
const SECRET = 'cli-evidence-secret-0123456789-abcdefghijk';
const NOW = '2026-11-23T09:00:00Z';
let dir: string;
let db: string;

function cli(args: string[], env: Record<string, string> = {}) {
  const run = spawnSync(process.execPath, [BIN, ...args, '--db', db], { encoding: 'utf8', env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET, ...env } });
  const lines = run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { code: run.status, lines, stderr: run.stderr, first: lines[0] };
}

type Event = Record<string, unknown>;
const eventsOf = (email: string) => (cli(['export', email]).first as { events: Event[] }).events;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'consent-cli-evidence-'));
  db = join(dir, 'ledger.sqlite');
  expect(cli(['init']).code).toBe(0);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

test('confirm through the CLI records the person as the actor, with the IP and user agent of their click, as the confirm page does', () => {
  const r = cli(['request', 'anna@example.nl', '--signup', '--consent-text', 'Ja, houd mij op de hoogte.', '--now', NOW]).first;
  const done = cli(['confirm', r.confirmToken as string, '--ip', '198.51.100.7', '--user-agent', 'Mozilla/5.0 (Anna)', '--now', NOW], { CONSENT_OPERATOR: 'Privacy Officer' });
  expect(done.first).toMatchObject({ outcome: 'confirmed' });
  const confirm = eventsOf('anna@example.nl').find((e) => e.action === 'confirm');
  expect(confirm).toMatchObject({ actorKind: 'person', actorName: null, sourceKind: 'link', sourceRef: 'n8n-consent confirm', ip: '198.51.100.7', userAgent: 'Mozilla/5.0 (Anna)' });

  const bad = cli(['confirm', r.confirmToken as string, '--ip', '999.1.1.1']);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toContain('--ip, not an IP address');
});

test('unsuppress lifts a suppression made in error only with --proof-ref and --description; the lift is kept without the address', () => {
  expect(cli(['erase', 'jan@exmple.nl', '--now', NOW]).first).toMatchObject({ outcome: 'not_found' });
  expect(cli(['check', 'jan@exmple.nl']).first).toMatchObject({ allowed: false, reason: 'suppressed' });

  const noProof = cli(['unsuppress', 'jan@exmple.nl', '--description', 'typo']);
  expect(noProof.code).toBe(2);
  expect(noProof.stderr).toContain('--proof-ref: say what proves the suppression was a mistake');
  const noWhy = cli(['unsuppress', 'jan@exmple.nl', '--proof-ref', 'TICKET-4711']);
  expect(noWhy.stderr).toContain('--description: say what went wrong');

  const lifted = cli(['unsuppress', 'jan@exmple.nl', '--proof-ref', 'TICKET-4711', '--description', 'typo in the erasure: meant another address', '--now', NOW], { CONSENT_OPERATOR: 'Privacy Officer' });
  expect(lifted).toMatchObject({ code: 0, first: { outcome: 'lifted', lifted: 1, subjectId: null } });
  expect(cli(['check', 'jan@exmple.nl']).first).toMatchObject({ allowed: false, reason: 'unknown' });
  expect(cli(['unsuppress', 'jan@exmple.nl', '--proof-ref', 'TICKET-4711', '--description', 'again']).first).toMatchObject({ outcome: 'not_suppressed' });
});

test('an erased person signs up again: the confirmation goes out, and their own confirm through the CLI lifts the suppression', () => {
  const first = cli(['request', 'piet@example.nl', '--signup', '--consent-text', 'Ja.', '--now', NOW]).first;
  cli(['confirm', first.confirmToken as string, '--now', NOW]);
  expect(cli(['erase', 'piet@example.nl', '--now', NOW]).first).toMatchObject({ outcome: 'erased' });
  const again = cli(['request', 'piet@example.nl', '--signup', '--consent-text', 'Ja.', '--now', '2026-12-01T09:00:00Z']).first;
  expect(again).toMatchObject({ outcome: 'requested' });
  expect(cli(['request', 'piet@example.nl', '--consent-text', 'Ja.', '--now', '2026-12-01T10:00:00Z']).first).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
  cli(['confirm', again.confirmToken as string, '--ip', '203.0.113.9', '--now', '2026-12-01T09:05:00Z']);
  expect(eventsOf('piet@example.nl').find((e) => e.action === 'unsuppress')).toMatchObject({ actorKind: 'person', ip: '203.0.113.9' });
  expect(cli(['check', 'piet@example.nl', '--now', '2026-12-01T09:06:00Z']).first).toMatchObject({ allowed: true });
});
