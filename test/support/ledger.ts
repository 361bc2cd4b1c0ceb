import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, type LedgerSettings } from '../../core/ledger';
import { openStore } from '../../core/store/open';

export const SECRET = 'test-secret-0123456789abcdefghijklmnopqrstuvwxyz';

/** A clock the test moves by hand: time passes only when the test says so. */
export class TestClock {
  constructor(public at = new Date('2026-11-23T10:00:00Z')) {}
  readonly now = () => new Date(this.at.getTime());
  advanceDays(days: number) {
    this.at = new Date(this.at.getTime() + days * 86_400_000);
  }
  advanceMinutes(minutes: number) {
    this.at = new Date(this.at.getTime() + minutes * 60_000);
  }
}

/** A ledger on a fresh SQLite file in a temp folder. */
export async function tempLedger(settings: Partial<LedgerSettings> = {}, clock = new TestClock()) {
  const dir = mkdtempSync(join(tmpdir(), 'consent-ledger-'));
  const path = join(dir, 'ledger.sqlite');
  const store = await openStore({ kind: 'sqlite', path });
  const ledger = new Ledger(store, { secret: SECRET, ...settings }, clock.now);
  return {
    ledger,
    clock,
    dir,
    path,
    async reopen(more: Partial<LedgerSettings> = {}) {
      return new Ledger(await openStore({ kind: 'sqlite', path }), { secret: SECRET, ...settings, ...more }, clock.now);
    },
    async dispose() {
      await ledger.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
