// The parts' boundaries (docs/ARCHITECTURE.md) are held by `npm run lint`: a probe file in each
// part imports what that part must not, and ESLint (the same binary and config `npm run lint`
// runs) refuses it, naming the boundary. The same probes in the part they are allowed in pass.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const REFUSED: Array<[string, string, RegExp]> = [
    ['core/probe.ts', "import { NodeOperationError } from 'n8n-workflow';", /core\/ is the ledger without n8n/],
    ['core/probe.ts', "import { ledgerFor } from '../nodes/shared/ledger-connection';", /never imports n8n or a face/],
    ['nodes/CheckOptIn/probe.ts', "import { openStore } from '../../core/store/open';", /reaches a store only through Ledger.open/],
    ['credentials/probe.ts', "import type { Store } from '../core/store/store';", /reaches a store only through Ledger.open/],
    ['cli/probe.ts', "import { SqliteStore } from '../core/store/sqlite/sqlite-store';", /reaches a store only through Ledger.open/],
    ['core/store/sqlite/probe.ts', "import { Ledger } from '../../ledger';", /a store dialect knows rows and SQL only/],
    ['core/store/postgres/probe.ts', "import { processRequestMail } from '../../inbox';", /a store dialect knows rows and SQL only/],
    ['core/mail/probe.ts', "import { Ledger } from '../ledger';", /below the ledger/],
    ['core/ledger/probe.ts', "import { processRequestMail } from '../inbox';", /the ledger sits below the inbox/],
    ['worker/probe.ts', "import { ConsentMailboxTrigger } from '../nodes/ConsentMailboxTrigger/ConsentMailboxTrigger.node';", /run without n8n/],
];
const ALLOWED: Array<[string, string]> = [
    ['nodes/CheckOptIn/probe.ts', "import { Ledger } from '../../core/ledger';"],
    ['worker/probe.ts', "import { Ledger } from '../core/ledger';"],
    ['core/inbox/probe.ts', "import { Ledger } from '../ledger';"],
    ['core/ledger/probe.ts', "import type { Store } from '../store/store';"],
];

type Linted = { path: string; errorCount: number; restricted: string[] };
let linted: Linted[];

beforeAll(() => {
  const probes = [...REFUSED, ...ALLOWED].map(([path, code]) => ({ path, code: `${code}\nexport const probe = 1;\n` }));
  const run = spawnSync(process.execPath, [join(__dirname, 'lint-as.mjs')], { input: JSON.stringify(probes), encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`lint-as.mjs failed: ${run.stderr}`);
  linted = JSON.parse(run.stdout) as Linted[];
}, 120_000);

describe('npm run lint holds the boundaries between the parts', () => {
  test.each(REFUSED.map(([path, code, why], i) => [path, code, why, i] as const))('%s: %s is refused', (_path, _code, why, i) => {
    expect(linted[i].restricted).toEqual([expect.stringMatching(why)]);
    expect(linted[i].errorCount).toBeGreaterThan(0);
  });

  test.each(ALLOWED.map(([path, code], i) => [path, code, REFUSED.length + i] as const))('%s: %s is allowed', (_path, _code, i) => {
    expect(linted[i].restricted).toEqual([]);
  });
});
