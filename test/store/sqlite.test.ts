import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../core/store/open';
import { describeStoreContract } from './contract';
import { describePurposeContract } from './purposes-contract';
import { describeRequestsContract } from './requests-contract';
import { describeRetentionContract } from './retention-contract';

const dirs: string[] = [];
afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

const factory = {
  async open() {
    const dir = mkdtempSync(join(tmpdir(), 'consent-store-'));
    dirs.push(dir);
    return openStore({ kind: 'sqlite', path: join(dir, 'ledger.sqlite') });
  },
};
describeStoreContract('sqlite', factory);
describePurposeContract('sqlite', factory);
describeRequestsContract('sqlite', factory);
describeRetentionContract('sqlite', factory);
