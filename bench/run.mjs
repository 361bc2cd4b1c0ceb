// `npm run bench`: every benchmark, one after another (they must not share the two cores).
// Each prints `BENCH <name> <value> <unit>` lines: ratios against a baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const parts = ['ledger', 'postgres', 'worker', 'n8n'].filter((p) => only.length === 0 || only.includes(p));
let failed = false;
for (const part of parts) {
  const file = join(here, `${part}.mjs`);
  if (!existsSync(file)) continue;
  const run = spawnSync(process.execPath, [file], { stdio: 'inherit' });
  if (run.status !== 0) {
    console.error(`bench ${part} failed (exit ${run.status})`);
    failed = true;
  }
}
process.exitCode = failed ? 1 : 0;
