// n8n node benchmarks: our nodes on 10,000 items inside n8n's own engine (n8n-core WorkflowExecute,
// through the test harness test/support/n8n-engine.ts), against what the node cannot avoid: n8n
// moving the items (its No Operation node on the same items in the same engine) plus the core call
// the node makes, run alone on the same items in the same process. The figure is what the node adds
// over the core, and the machine's speed cancels out.
//   node bench/n8n.mjs            (after `npm run build`; Node 24; the n8n host install, made on first use)
// Prints (stdout, exactly):
//   BENCH n8n_check_overhead_ratio <x> ratio     the workflow with Check Opt-In ÷ (the workflow with No
//                                                Operation in its place + the core alone: each item parsed
//                                                with CheckItemSchema (email, topic, channel as the node
//                                                has them), then one Ledger.check of them all, on the same
//                                                ledger file) (goal ≤ 1.5; lower is better)
//   BENCH n8n_request_overhead_ratio <x> ratio   the same for Request Consent, signup, links only (new
//                                                people each run), against the core alone: each item
//                                                parsed with RequestItemSchema (the node's evidence), one
//                                                Ledger.request(…, 'signup') of them all, then the three
//                                                links and composeMail('confirmation') for each requested
//                                                one (goal ≤ 1.5)
// Each figure is the median of BENCH_N8N_RUNS runs of ours (default 7) ÷ (the median of as many
// No Operation runs + the median of as many core-alone runs), taken in turns (No Operation, ours,
// core), after one warm-up of each, with a full garbage collection before every timed run (so one
// run's garbage is not billed to the next). Details go to stderr: each run's times, and the node's
// own time as n8n records it.
//   BENCH_N8N_ITEMS   items per run (default 10000)
//   BENCH_SMALL=1     a smoke run: 200 items, 1 run (figures not meaningful; proves the bench runs)
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

process.removeAllListeners('warning');
const require = createRequire(import.meta.url);
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const dist = join(root, 'dist');
// BENCH_SMALL=1: a smoke run (.ci/run) that takes seconds and still prints every BENCH line.
const SMALL = process.env.BENCH_SMALL === '1';
const ITEMS = Number(process.env.BENCH_N8N_ITEMS ?? (SMALL ? 200 : 10_000));
const RUNS = Number(process.env.BENCH_N8N_RUNS ?? (SMALL ? 1 : 7));
const SECRET = 'bench-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
const note = (line) => process.stderr.write(`# ${line}\n`);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

/** The engine harness is TypeScript for jest: bundled once for plain Node (packages stay external). */
async function loadHarness() {
  const { build } = require('esbuild');
  const out = join(root, '.cache', 'bench', 'n8n-bench-engine.cjs');
  mkdirSync(join(root, '.cache', 'bench'), { recursive: true });
  await build({
    entryPoints: [join(root, 'test', 'support', 'n8n-engine.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    packages: 'external',
    outfile: out,
    logLevel: 'error',
  });
  return require(out);
}

const at = (x) => [x, 0];
function workflow(node) {
  return {
    name: 'bench',
    nodes: [{ id: 's', name: 'Start', type: 'n8nEngineHarness.start', typeVersion: 1, position: at(0), parameters: {} }, { id: 'n', position: at(220), typeVersion: 1, ...node }],
    connections: { Start: { main: [[{ node: node.name, type: 'main', index: 0 }]] } },
  };
}
const credentials = { consentLedgerApi: { id: '1', name: 'Consent Ledger' } };

async function main() {
  const { runWorkflow, disposeEngine, ensureN8nHostForEngine } = await loadHarness();
  await ensureN8nHostForEngine();
  const { CheckOptIn } = require(join(dist, 'nodes', 'CheckOptIn', 'CheckOptIn.node.js'));
  const { RequestConsent } = require(join(dist, 'nodes', 'RequestConsent', 'RequestConsent.node.js'));
  const { ConsentLedgerApi } = require(join(dist, 'credentials', 'ConsentLedgerApi.credentials.js'));
  const { closeLedgers } = require(join(dist, 'nodes', 'shared', 'ledger-connection.js'));
  const { Ledger, ImportRowSchema } = require(join(dist, 'core', 'ledger'));
  const { openStore } = require(join(dist, 'core', 'store', 'open.js'));

  const dir = mkdtempSync(join(tmpdir(), 'consent-bench-n8n-'));
  const path = join(dir, 'ledger.sqlite');
  try {
    // The ledger: ITEMS people, a mix of what a CRM export holds.
    const seed = new Ledger(await openStore({ kind: 'sqlite', path }), { secret: SECRET });
    // A confirmed import brings its evidence (the ledger refuses consent without it).
    const statuses = [{ status: 'confirmed', consentText: 'Ja, ik wil de nieuwsbrief van Voorbeeld BV ontvangen.' }, { previouslyMailed: true }, { status: 'unsubscribed' }, {}];
    await seed.importContacts(
      Array.from({ length: ITEMS }, (_, i) => ({ row: i + 2, data: ImportRowSchema.parse({ email: `person${i}@example.com`, ...statuses[i % 4] }) })),
      undefined,
    );
    await seed.close();

    const options = {
      nodeTypes: { 'n8n-nodes-consent.checkOptIn': CheckOptIn, 'n8n-nodes-consent.requestConsent': RequestConsent },
      credentialTypes: [ConsentLedgerApi],
      credentials: {
        consentLedgerApi: { store: 'sqlite', sqlitePath: path, secret: SECRET, baseUrl: 'https://n8n.example.com/webhook/consent', organisation: 'Voorbeeld BV', privacyUrl: 'https://example.com/privacy' },
      },
    };
    const people = (prefix) => Array.from({ length: ITEMS }, (_, i) => ({ email: `${prefix}${i}@example.com`, name: `Person ${i}` }));
    const noop = workflow({ name: 'No Operation', type: 'n8n-nodes-base.noOp' });
    const check = workflow({ name: 'Check Opt-In', type: 'n8n-nodes-consent.checkOptIn', credentials, parameters: { email: '={{ $json.email }}', topic: 'newsletter', channel: 'email' } });
    const request = workflow({
      name: 'Request Consent',
      type: 'n8n-nodes-consent.requestConsent',
      credentials,
      parameters: {
        operation: 'request',
        mode: 'signup',
        consentText: 'Ja, ik wil de nieuwsbrief van Voorbeeld BV ontvangen.',
        delivery: 'linksOnly',
        mailFrom: 'Voorbeeld BV <news@example.com>',
      },
    });

    const timed = async (flow, items, nodeName) => {
      collectGarbage();
      const start = process.hrtime.bigint();
      const result = await runWorkflow(flow, { ...options, items });
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      if (result.status !== 'success') throw new Error(`${nodeName} run failed: ${result.error?.message}`);
      return { seconds, node: result.run.data.resultData.runData[nodeName][0].executionTime / 1000, out: result.output(nodeName, 0).length + (result.branchCount(nodeName) > 1 ? result.output(nodeName, 1).length : 0) };
    };

    // The baseline's second part: the core calls the node makes, alone on the same items, in this
    // process, on a Ledger of its own over the same file (the node opens its own through the credential).
    const core = new Ledger(await openStore({ kind: 'sqlite', path }), { secret: SECRET });
    const coreTime = async (call) => {
      collectGarbage();
      const start = process.hrtime.bigint();
      const out = await call();
      return { seconds: Number(process.hrtime.bigint() - start) / 1e9, out };
    };
    const { CheckItemSchema, RequestItemSchema } = require(join(dist, 'core', 'ledger'));
    const { parseInput } = require(join(dist, 'core', 'validation.js'));
    const { linkFor } = require(join(dist, 'core', 'links.js'));
    const { composeMail } = require(join(dist, 'core', 'mail', 'compose.js'));
    const CONSENT_TEXT = 'Ja, ik wil de nieuwsbrief van Voorbeeld BV ontvangen.';
    const BASE_URL = options.credentials.consentLedgerApi.baseUrl;
    const coreCalls = {
      check: (items) =>
        coreTime(async () => {
          const checks = items.map((item, i) => parseInput(CheckItemSchema, { email: item.email, topic: 'newsletter', channel: 'email' }, `item ${i}`));
          return (await core.check(checks)).length;
        }),
      request: (items) =>
        coreTime(async () => {
          const requests = items.map((item, i) =>
            parseInput(
              RequestItemSchema,
              { email: `core-${item.email}`, name: item.name, topics: ['newsletter'], channel: 'email', consentText: CONSENT_TEXT, evidence: { actor: { kind: 'person' }, source: { kind: 'webform' } } },
              `item ${i}`,
            ),
          );
          const results = await core.request(requests, 'signup');
          let composed = 0;
          for (const r of results) {
            if (r.outcome !== 'requested') continue;
            const links = [linkFor(BASE_URL, 'confirm', r.confirmToken), linkFor(BASE_URL, 'unsubscribe', r.unsubscribeToken), linkFor(BASE_URL, 'preferences', r.unsubscribeToken)];
            const mail = composeMail('confirmation', {
              to: r.email,
              name: r.name ?? undefined,
              from: 'Voorbeeld BV <news@example.com>',
              locale: 'nl',
              organisation: 'Voorbeeld BV',
              baseUrl: BASE_URL,
              confirmToken: r.confirmToken,
              unsubscribeToken: r.unsubscribeToken,
              privacyUrl: 'https://example.com/privacy',
            });
            if (links.length === 3 && mail.text) composed++;
          }
          return composed;
        }),
    };

    const pair = async (label, ours, oursName, itemsFor) => {
      await timed(noop, people('warm'), 'No Operation');
      const warm = await timed(ours, itemsFor(-1), oursName);
      if (warm.out !== ITEMS) throw new Error(`${oursName} put out ${warm.out} items for ${ITEMS}`);
      const warmCore = await coreCalls[label](itemsFor(-1));
      if (warmCore.out !== ITEMS) throw new Error(`the core alone (${label}) handled ${warmCore.out} items for ${ITEMS}`);
      const bases = [];
      const runs = [];
      const cores = [];
      for (let r = 0; r < RUNS; r++) {
        const items = itemsFor(r);
        const base = await timed(noop, items, 'No Operation');
        const run = await timed(ours, items, oursName);
        const alone = await coreCalls[label](items);
        bases.push(base.seconds);
        runs.push(run.seconds);
        cores.push(alone.seconds);
        note(
          `${label} run ${r + 1}: No Operation workflow ${base.seconds.toFixed(3)} s (node ${base.node.toFixed(3)} s); ` +
            `core alone ${alone.seconds.toFixed(3)} s; ${oursName} workflow ${run.seconds.toFixed(3)} s (node ${run.node.toFixed(3)} s)`,
        );
      }
      const baseline = median(bases) + median(cores);
      note(`${label}: median ${oursName} workflow ${median(runs).toFixed(3)} s ÷ (No Operation ${median(bases).toFixed(3)} s + core alone ${median(cores).toFixed(3)} s = ${baseline.toFixed(3)} s)`);
      return median(runs) / baseline;
    };

    const checkRatio = await pair('check', check, 'Check Opt-In', () => people('person'));
    process.stdout.write(`BENCH n8n_check_overhead_ratio ${checkRatio.toFixed(2)} ratio\n`);
    const requestRatio = await pair('request', request, 'Request Consent', (r) => people(`new${r + 1}-`));
    process.stdout.write(`BENCH n8n_request_overhead_ratio ${requestRatio.toFixed(2)} ratio\n`);
    await core.close();
  } finally {
    await closeLedgers();
    await disposeEngine();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
