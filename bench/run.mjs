// `npm run bench`: every benchmark, one after another (they must not share the two cores).
// Each prints `BENCH <name> <value> <unit>` lines: ratios against a baseline measured in the same run.
// Every bench/*.mjs but this file is a benchmark: the known ones first, then any other in name order.
//   node bench/run.mjs [name ...]     only these (e.g. `ledger n8n`)
//   BENCH_SMALL=1 node bench/run.mjs  the smoke run .ci/run makes: every benchmark at a small size
//                                     (seconds each; the figures mean nothing, the run proves each
//                                     benchmark still works and prints its BENCH lines)
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const here = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const ORDER = ['ledger', 'postgres', 'worker', 'n8n'];
const found = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== 'run.mjs')
  .map((f) => f.slice(0, -4));
const parts = [...ORDER.filter((p) => found.includes(p)), ...found.filter((p) => !ORDER.includes(p)).sort()].filter(
  (p) => only.length === 0 || only.includes(p),
);
let failed = false;
for (const part of parts) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [join(here, `${part}.mjs`)], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(run.stdout ?? '');
  if (run.status !== 0) {
    console.error(`bench ${part} failed (exit ${run.status}${run.signal ? `, ${run.signal}` : ''})`);
    failed = true;
  } else if (!/^BENCH \S+ \S+/m.test(run.stdout ?? '')) {
    console.error(`bench ${part} printed no BENCH line`);
    failed = true;
  } else if (process.env.BENCH_SMALL === '1') {
    console.error(`# bench ${part}: smoke run ok in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
}
process.exitCode = failed ? 1 : 0;
