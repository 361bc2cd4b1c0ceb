import { createReadStream, openSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { z } from 'zod/v4';
import { clockFromEnvironment, fixedClock, parseInstant } from '../core/clock';
import { ChannelSchema, TopicSchema } from '../core/consent/identity';
import { EvidenceSchema, linkClickEvidence } from '../core/consent/evidence';
import { ConsentError, InvalidInput } from '../core/errors';
import { ImportEncodingSchema, importContactsCsv } from '../core/import';
import { CheckItemSchema, Ledger, RequestItemSchema, TopicsScopeSchema } from '../core/ledger';
import { linkFor } from '../core/links';
import { callListCsv } from '../core/calllist';
import { funnelSvg } from '../core/funnel-svg';
import { readPreviousSecrets, readSecret, requireLedgerFile, requireLedgerFolder, writePrivateFile } from './files';
import { PERSON_OPTIONS, personRef } from './person';
import { parseInput } from '../core/validation';
import { SecretSchema } from '../core/secrets';

// The worker's modules (IMAP, mail parsing, DKIM) weigh some 40 MB: loaded only by the commands
// that use them, so an import of a large file stays within its memory budget.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const workerCli = () => require('../worker/cli') as typeof import('../worker/cli');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const serveCli = () => require('./serve/command') as typeof import('./serve/command');

/**
 * `n8n-consent <command>`: the ledger for privacy officers and scripts. JSON on stdout, one object
 * per result; one clear line on stderr and exit code 2 for bad input.
 */
const USAGE = `n8n-consent <command> [options]

Commands:
  init                                    make a new, empty ledger file (--db; only init does)
  import FILE.csv [--encoding E]          import existing contacts (SuperOffice migration rules);
                                          E: auto (default), utf-8, windows-1252 or latin1
  request EMAIL | --all-eligible          ask for consent; prints the links
          [--topic T] [--channel C] --consent-text TEXT [--signup] [--base-url URL]
  confirm TOKEN [--ip IP] [--user-agent UA]
                                          the person's click, relayed: recorded as theirs
  check PERSON [--topic T] [--channel C] [--strict]
  unsubscribe TOKEN|PERSON [--topic T ...] [--request ID]
                                          one topic, several, or all (default)
  erase PERSON [--reason TEXT] [--request ID]
                                          the reason is kept only if a retention hold
                                          keeps the person (it may name them)
  hold PERSON --until DATE --reason TEXT   kept for the retention purpose (legal_obligation)
  end-holds                               holds whose end has passed: the retention purpose
                                          ends; a person whose erasure it deferred is erased
  maintain [--purge-after-days N] [--holds-within DAYS] [--dry-run]
                                          the daily maintenance: end-holds, then purge who
                                          is only an unconfirmed signup or an expired
                                          invitation for N days (default 60; erased with a
                                          receipt, no address), then list the holds ending
                                          within DAYS (default 30); prints counts
  unsuppress EMAIL|+PHONE --proof-ref REF --description TEXT
                                          lift a suppression made in error (a typo); both
                                          are required and kept, the address is not
  export PERSON [--request ID | --as-request]
                                          everything held about that person (GDPR Art. 15);
                                          --request ID answers that access request in the
                                          register, --as-request records one answered now
  access PERSON [--request ID] [--base-url URL]
                                          the person's access link (GDPR Art. 15): their
                                          data as a page and a JSON download, for 7 days;
                                          give it only to the person (mail it to the
                                          address held). Logged as an answered access
                                          request (--request ID answers that one)
  requests [--open] [--overdue] [--due-within DAYS]
                                          the requests register (GDPR Art. 12(3)): every
                                          request of a person, whatever its channel, with
                                          received, due (one month), kind, status, outcome
                                          and who handled it; the most urgent first
  requests add --kind K [PERSON] [--received DATE] [--note TEXT]
                                          record a request that came by letter, phone or
                                          at the desk (K: access, erase or unsubscribe),
                                          open until answered, due a month after DATE
  requests extend ID --reason TEXT        two more months to answer (once, within the
                                          first month; tell the person why)
  requests close ID --note TEXT           closed by hand: say how it was answered
  export-calllist --topic T FILE.csv [--strict]
                                          who may be called for topic T: name, phone and
                                          CallPro's optin_who, optin_source, optin_date,
                                          optin_id, optin_description (a new file, 0600)
  remind --after DAYS [--max N] [--base-url URL]
  expire --after DAYS
  purpose PERSON --purpose P (--basis B | --withdraw) [--proof-ref REF] [--description TEXT]
                                          why the person is held: set purpose P (e.g.
                                          sales_and_service, emarketing, your own) on legal
                                          basis B (consent, contract, legal_obligation,
                                          vital_interest, public_task, legitimate_interest,
                                          none), or withdraw it (withdrawing emarketing
                                          unsubscribes every topic); a basis other than none
                                          needs --proof-ref or --description
  report                                  counts per topic x channel x status, then per
                                          purpose x basis x state
  report --svg FILE [--weeks N]           the consent funnel as a picture (an SVG to open in
                                          a browser): per campaign asked, reminded, confirmed,
                                          expired, unsubscribed; per topic and channel allowed
                                          vs not at the end of each of the last N weeks
                                          (default 12); erasures and requests per month. Its
                                          numbers are printed as JSON
  worker [--config FILE] [--once]         the mailbox worker, until SIGTERM/SIGINT (settings:
                                          FILE and CONSENT_IMAP_* / CONSENT_SMTP_* variables;
                                          see worker/README.md)
  classify FILE.eml [--trusted-authserv-id ID ...] [--own-address ADDR ...] [--dkim]
                                          what the worker would make of a mail, as JSON,
                                          without touching any mailbox (--dkim asks DNS)
  serve [--port P] [--host H] --organisation NAME --privacy-url URL [--public-url URL]
        [--signups-per-hour N] [--hooks-allow-private] [--hooks-retry-ms MS]
        [--hooks-poll-ms MS] [--no-hooks] [--key-rate N] [--ip-rate N] [--trust-proxy]
                                          the consent service: the JSON API (/v1/..., an API
                                          key each call), the link pages (/consent/...) and
                                          REST hook delivery, until SIGTERM; see /openapi.json;
                                          --ip-rate: calls per minute per client IP (default:
                                          no limit); --trust-proxy: behind one reverse proxy,
                                          the client IP is X-Forwarded-For's last entry
  keys create --scope S[,S...] [--name N] [--rate N]
                                          an API key for the service, printed once (scopes:
                                          check, request, unsubscribe, erase, requests, report,
                                          events, hooks, hold, export, import); --rate: its
                                          calls per minute (default: serve's --key-rate)
  keys list | keys revoke ID

PERSON is one of: EMAIL, +PHONE (E.164, e.g. +31612345678), --phone NUMBER (also 0612345678)
or --external-id ID (the CRM's id).

Options for every command:
  --db FILE        the SQLite ledger (default ./consent-ledger.sqlite); it must exist: make
                   a new one with n8n-consent init --db FILE
  --postgres URL   a PostgreSQL ledger instead (default: $CONSENT_POSTGRES_URL), e.g.
                   postgres://user:password@host:5432/database
  --secret S       the ledger secret (default: $CONSENT_SECRET); every user of the machine
                   can see a command's arguments, so prefer:
  --secret-file F  the file holding the secret, one line, chmod 600 (default:
                   $CONSENT_SECRET_FILE)
  --previous-secret S  while rotating: an older secret whose links still work; repeat it
                   for several, newest first (default: $CONSENT_PREVIOUS_SECRETS, comma-
                   separated), or --previous-secret-file F, one per line (default:
                   $CONSENT_PREVIOUS_SECRETS_FILE)
  --now ISO        act as if it were this time (default: now, or the instant in the file
                   $CONSENT_CLOCK_FILE names: for demos and tests only)
  --operator NAME  who acts, recorded as evidence (default: $CONSENT_OPERATOR)
`;

const COMMON = {
  db: { type: 'string' },
  postgres: { type: 'string' },
  secret: { type: 'string' },
  'secret-file': { type: 'string' },
  'previous-secret': { type: 'string', multiple: true },
  'previous-secret-file': { type: 'string' },
  now: { type: 'string' },
  operator: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

const OPTIONS = {
  init: {},
  import: { encoding: { type: 'string' } },
  request: {
    'all-eligible': { type: 'boolean' },
    topic: { type: 'string', multiple: true },
    channel: { type: 'string' },
    'consent-text': { type: 'string' },
    signup: { type: 'boolean' },
    'base-url': { type: 'string' },
  },
  confirm: { ip: { type: 'string' }, 'user-agent': { type: 'string' } },
  check: { topic: { type: 'string' }, channel: { type: 'string' }, strict: { type: 'boolean' }, ...PERSON_OPTIONS },
  unsubscribe: { topic: { type: 'string', multiple: true }, channel: { type: 'string' }, request: { type: 'string' }, ...PERSON_OPTIONS },
  erase: { reason: { type: 'string' }, request: { type: 'string' }, ...PERSON_OPTIONS },
  hold: { until: { type: 'string' }, reason: { type: 'string' }, ...PERSON_OPTIONS },
  unsuppress: { 'proof-ref': { type: 'string' }, description: { type: 'string' }, phone: PERSON_OPTIONS.phone },
  export: { request: { type: 'string' }, 'as-request': { type: 'boolean' }, ...PERSON_OPTIONS },
  access: { request: { type: 'string' }, 'base-url': { type: 'string' }, ...PERSON_OPTIONS },
  requests: {
    open: { type: 'boolean' },
    overdue: { type: 'boolean' },
    'due-within': { type: 'string' },
    reason: { type: 'string' },
    note: { type: 'string' },
    kind: { type: 'string' },
    received: { type: 'string' },
    ...PERSON_OPTIONS,
  },
  'export-calllist': { topic: { type: 'string' }, strict: { type: 'boolean' } },
  remind: { after: { type: 'string' }, max: { type: 'string' }, topic: { type: 'string' }, 'base-url': { type: 'string' } },
  expire: { after: { type: 'string' }, topic: { type: 'string' } },
  purpose: { purpose: { type: 'string' }, basis: { type: 'string' }, withdraw: { type: 'boolean' }, 'proof-ref': { type: 'string' }, description: { type: 'string' }, ...PERSON_OPTIONS },
  'end-holds': {},
  maintain: { 'purge-after-days': { type: 'string' }, 'holds-within': { type: 'string' }, 'dry-run': { type: 'boolean' } },
  report: { svg: { type: 'string' }, weeks: { type: 'string' } },
  worker: { config: { type: 'string' }, once: { type: 'boolean' } },
  classify: { 'trusted-authserv-id': { type: 'string', multiple: true }, 'own-address': { type: 'string', multiple: true }, dkim: { type: 'boolean' } },
  serve: {
    port: { type: 'string' },
    host: { type: 'string' },
    'public-url': { type: 'string' },
    organisation: { type: 'string' },
    'privacy-url': { type: 'string' },
    'signups-per-hour': { type: 'string' },
    'hooks-allow-private': { type: 'boolean' },
    'hooks-retry-ms': { type: 'string' },
    'hooks-poll-ms': { type: 'string' },
    'no-hooks': { type: 'boolean' },
    'key-rate': { type: 'string' },
    'ip-rate': { type: 'string' },
    'trust-proxy': { type: 'boolean' },
  },
  keys: { scope: { type: 'string', multiple: true }, name: { type: 'string' }, rate: { type: 'string' } },
} as const;
type Command = keyof typeof OPTIONS;

type Out = (value: unknown) => void;

interface Context {
  ledger: Ledger;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  out: Out;
  /** The ledger was made by this run (init). */
  isNewLedger?: boolean;
  evidence: { actor: { kind: 'operator'; name?: string }; source: { kind: 'cli' } };
}

const Days = (flag: string) =>
  z.coerce.number({ error: `${flag}: give a number of days` }).int(`${flag}: a whole number of days`).min(0, `${flag}: not negative`);

function one(ctx: Context, what: string): string {
  if (ctx.positionals.length !== 1) throw new InvalidInput(`give exactly one ${what}`);
  return ctx.positionals[0];
}

function channelOf(ctx: Context) {
  return parseInput(ChannelSchema.default('email'), ctx.values.channel, '--channel');
}

function baseUrl(ctx: Context): string | undefined {
  const url = (ctx.values['base-url'] as string | undefined) ?? process.env.CONSENT_BASE_URL;
  return url ? parseInput(z.url({ protocol: /^https?$/, error: '--base-url: an http(s) URL' }), url) : undefined;
}

function links(ctx: Context, tokens: { confirmToken: string | null; unsubscribeToken: string | null }) {
  const base = baseUrl(ctx);
  if (!base) return {};
  return {
    confirmUrl: tokens.confirmToken ? linkFor(base, 'confirm', tokens.confirmToken) : null,
    unsubscribeUrl: tokens.unsubscribeToken ? linkFor(base, 'unsubscribe', tokens.unsubscribeToken) : null,
    preferencesUrl: tokens.unsubscribeToken ? linkFor(base, 'preferences', tokens.unsubscribeToken) : null,
  };
}

const isToken = (value: string) => /^[cue]1\./.test(value);

/**
 * A request handled on the command line, in the requests register: a new line (received and
 * answered now), or with --request ID the outcome of one already there (e.g. a mail left to an
 * operator). Handled by: the --operator's name, else "operator (CLI)".
 */
function logHandled(ctx: Context, kind: 'unsubscribe' | 'erase' | 'access', outcome: string, subjectId: number | null, address: string | null, detail?: string) {
  const requestId = typeof ctx.values.request === 'string' ? ctx.values.request : undefined;
  return ctx.ledger.recordHandledRequest({
    requestId,
    channel: 'cli',
    kind,
    handledBy: ctx.evidence.actor.name ?? 'operator (CLI)',
    outcome,
    subjectId,
    address,
    detail,
  });
}

const HANDLERS: Record<Command, (ctx: Context) => Promise<void>> = {
  async init(ctx) {
    // runCli made the file (or found one); a new ledger's suppression key is now wrapped by the secret.
    ctx.out({ created: ctx.isNewLedger === true, ...(ctx.ledger.dialect === 'sqlite' ? { path: ctx.values.db ?? DEFAULT_DB } : {}) });
  },

  async import(ctx) {
    const file = one(ctx, 'CSV file');
    const encoding = parseInput(ImportEncodingSchema.default('auto'), ctx.values.encoding, '--encoding');
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch (error) {
      throw new InvalidInput(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    // Streamed: rows are read, imported in batches and printed as they go.
    const source = createReadStream(file, { fd, highWaterMark: 256 * 1024 });
    const summary = await importContactsCsv(ctx.ledger, source, { encoding, evidence: { ...ctx.evidence, source: { kind: 'import', ref: file } } }, ctx.out);
    ctx.out({ summary });
    const notImported = summary.rows - summary.imported - summary.kept - summary.skipped - summary.empty;
    const parts = (['imported', 'kept', 'skipped', 'duplicate', 'conflict', 'invalid', 'empty'] as const).filter((k) => summary[k] > 0).map((k) => `${summary[k]} ${k}`);
    process.stderr.write(`${summary.rows} row(s): ${parts.join(', ') || 'none'} (read as ${summary.encoding}: ${summary.encodingFrom}).${notImported > 0 ? ' Rows not imported are the lines with "outcome":"duplicate", "conflict" or "invalid".' : ''}\n`);
  },

  async request(ctx) {
    const text = ctx.values['consent-text'];
    if (typeof text !== 'string' || !text.trim()) throw new InvalidInput('--consent-text: the exact text the person is asked to agree to is required (it is kept as evidence)');
    const topics = (ctx.values.topic as string[] | undefined) ?? ['newsletter'];
    const channel = channelOf(ctx);
    const mode = ctx.values.signup ? 'signup' : 'campaign';
    const base = { topics, channel, consentText: text, evidence: ctx.evidence };
    if (ctx.values['all-eligible']) {
      if (ctx.positionals.length > 0) throw new InvalidInput('give an EMAIL or --all-eligible, not both');
      // Page through every subject with an address; the transition table decides who is asked.
      for (let after = 0; ; ) {
        const ids = await ctx.ledger.subjectIdsWithEmail(after, 5000);
        if (ids.length === 0) break;
        after = ids[ids.length - 1];
        const results = await ctx.ledger.request(ids.map((subjectId) => parseInput(RequestItemSchema, { ...base, subjectId })), mode);
        results.filter((r) => r.outcome === 'requested').forEach((r) => ctx.out({ ...r, ...links(ctx, r) }));
      }
      return;
    }
    const item = parseInput(RequestItemSchema, { ...base, email: one(ctx, 'EMAIL (or --all-eligible)') });
    const [result] = await ctx.ledger.request([item], mode);
    ctx.out({ ...result, ...links(ctx, result) });
  },

  async confirm(ctx) {
    const token = one(ctx, 'TOKEN');
    // The person confirms (their click, relayed with its IP and user agent), not the operator:
    // the same evidence as the confirm page's POST.
    const ip = parseInput(EvidenceSchema.shape.ip, ctx.values.ip, '--ip');
    const userAgent = parseInput(EvidenceSchema.shape.userAgent, ctx.values['user-agent'], '--user-agent');
    ctx.out(await ctx.ledger.confirm(token, linkClickEvidence('n8n-consent confirm', { ip, userAgent })));
  },

  async check(ctx) {
    const item = parseInput(CheckItemSchema, { ...personRef(ctx.positionals, ctx.values), topic: ctx.values.topic, channel: ctx.values.channel });
    const [result] = await ctx.ledger.check([item], { strict: ctx.values.strict === true ? true : undefined });
    ctx.out(result);
  },

  async unsubscribe(ctx) {
    const scope = parseInput(TopicsScopeSchema, (ctx.values.topic as string[] | undefined) ?? 'all', '--topic');
    const [target] = ctx.positionals;
    const byToken = ctx.positionals.length === 1 && isToken(target);
    const ref = byToken ? undefined : personRef(ctx.positionals, ctx.values);
    const channel = channelOf(ctx);
    // The unsubscribe and its line in the requests register commit together.
    ctx.out(
      await ctx.ledger.atomically(async () => {
        const result = ref ? await ctx.ledger.unsubscribeByRef(ref, scope, channel, ctx.evidence) : await ctx.ledger.unsubscribeByToken(target, scope, ctx.evidence);
        const subjectId = 'subjectId' in result ? result.subjectId : null;
        const logged = await logHandled(ctx, 'unsubscribe', result.outcome, subjectId, ref?.email ?? ref?.phone ?? null);
        return { ...result, requestId: logged.id };
      }),
    );
  },

  async erase(ctx) {
    const ref = personRef(ctx.positionals, ctx.values);
    ctx.out(
      await ctx.ledger.atomically(async () => {
        const result = await ctx.ledger.erase(ref, { reason: ctx.values.reason as string | undefined, evidence: ctx.evidence });
        // The register keeps no address of an erasure: the receipt is its record.
        const logged = await logHandled(ctx, 'erase', result.outcome, result.subjectId, null, `receipt=${result.receiptId}`);
        return { ...result, requestId: logged.id };
      }),
    );
  },

  async hold(ctx) {
    const ref = personRef(ctx.positionals, ctx.values);
    if (typeof ctx.values.until !== 'string') throw new InvalidInput('--until: give the date the data must be kept until, e.g. 2033-01-01');
    if (typeof ctx.values.reason !== 'string') throw new InvalidInput('--reason: say why the data must be kept (e.g. "invoices: 7 years")');
    const subject = await ctx.ledger.hold(ref, parseInstant(ctx.values.until, '--until'), ctx.values.reason, ctx.evidence);
    ctx.out({ subjectId: subject.id, holdUntil: subject.holdUntil, holdReason: subject.holdReason });
  },

  async unsuppress(ctx) {
    const ref = personRef(ctx.positionals, ctx.values);
    const proofRef = ctx.values['proof-ref'];
    const description = ctx.values.description;
    if (typeof proofRef !== 'string' || !proofRef.trim()) throw new InvalidInput('--proof-ref: say what proves the suppression was a mistake (a ticket, the signed form), e.g. --proof-ref TICKET-123');
    if (typeof description !== 'string' || !description.trim()) throw new InvalidInput('--description: say what went wrong, e.g. --description "typo in the erasure: meant another address"');
    ctx.out(await ctx.ledger.unsuppress(ref, { ...ctx.evidence, proofRef, description }));
  },

  async export(ctx) {
    const ref = personRef(ctx.positionals, ctx.values);
    const asRequest = ctx.values['as-request'] === true || typeof ctx.values.request === 'string';
    if (ctx.values['as-request'] === true && typeof ctx.values.request === 'string') throw new InvalidInput('give --request ID (a request in the register) or --as-request (a new one), not both');
    // Not knowing someone is an answer too (Art. 15: "whether or not personal data are processed").
    // An export that answers an access request is in the register; a look-up by the officer is not.
    const result = await ctx.ledger.export(ref);
    if (!asRequest) return ctx.out(result ?? { found: false });
    const logged = await logHandled(ctx, 'access', 'answered', result?.subject.id ?? null, ref.email ?? ref.phone ?? null);
    ctx.out({ ...(result ?? { found: false }), requestId: logged.id });
  },

  async access(ctx) {
    const ref = personRef(ctx.positionals, ctx.values);
    const requestId = typeof ctx.values.request === 'string' ? ctx.values.request : undefined;
    const address = ref.email ?? ref.phone ?? null;
    ctx.out(
      await ctx.ledger.atomically(async () => {
        const link = await ctx.ledger.issueAccessLink(ref, requestId);
        // Not knowing someone is an answer too (Art. 15: "whether or not personal data are processed").
        if (!link.found) return { found: false, requestId: (await logHandled(ctx, 'access', 'not_found', null, address, 'note=no data held')).id };
        const logged = await logHandled(ctx, 'access', 'answered', link.subjectId, address, `note=access link issued, valid until ${link.expiresAt}`);
        const base = baseUrl(ctx);
        process.stderr.write('Give this link only to the person, at the address the ledger holds: whoever has it sees their data until it expires.\n');
        return { found: true, subjectId: link.subjectId, accessToken: link.token, ...(base ? { accessUrl: linkFor(base, 'access', link.token) } : {}), expiresAt: link.expiresAt, requestId: logged.id };
      }),
    );
  },

  async requests(ctx) {
    const [action, id, ...extra] = ctx.positionals;
    const by = ctx.evidence.actor.name;
    if (action === undefined) {
      if (ctx.values.reason !== undefined || ctx.values.note !== undefined) throw new InvalidInput('--reason belongs to "requests extend ID", --note to "requests close ID"');
      const dueWithin = ctx.values['due-within'];
      const filter = { open: ctx.values.open === true, overdue: ctx.values.overdue === true, dueWithinDays: dueWithin === undefined ? undefined : parseInput(Days('--due-within'), dueWithin) };
      for await (const entry of ctx.ledger.listRequests(filter)) ctx.out(entry);
      return;
    }
    if (action === 'add') {
      if (typeof ctx.values.kind !== 'string') throw new InvalidInput('--kind: what the person asks: access, erase or unsubscribe');
      const person = ctx.positionals.length > 1 || ctx.values.phone !== undefined || ctx.values['external-id'] !== undefined ? personRef(ctx.positionals.slice(1), ctx.values) : undefined;
      if (person?.externalId) throw new InvalidInput('--external-id: give the address or phone number the request came from (the register keeps that, not the CRM id)');
      const received = typeof ctx.values.received === 'string' ? parseInstant(ctx.values.received, '--received') : undefined;
      const note = typeof ctx.values.note === 'string' ? ctx.values.note : undefined;
      ctx.out(await ctx.ledger.addRequest({ kind: ctx.values.kind, receivedAt: received, address: person?.email ?? person?.phone ?? null, note, by }));
      return;
    }
    if ((action !== 'extend' && action !== 'close') || id === undefined || extra.length > 0) {
      throw new InvalidInput('use: requests [--open] [--overdue] [--due-within DAYS], requests add --kind K [PERSON], requests extend ID --reason TEXT, or requests close ID --note TEXT');
    }
    if (ctx.values.open || ctx.values.overdue || ctx.values['due-within'] !== undefined) throw new InvalidInput(`--open, --overdue and --due-within filter the list; "requests ${action}" takes none`);
    if (action === 'extend') {
      if (typeof ctx.values.reason !== 'string') throw new InvalidInput('--reason: say why the answer needs two more months (the person is told), e.g. --reason "the export spans three systems"');
      ctx.out(await ctx.ledger.extendRequest(id, { reason: ctx.values.reason, by }));
    } else {
      if (typeof ctx.values.note !== 'string') throw new InvalidInput('--note: say how the request was answered, e.g. --note "export sent by registered letter"');
      ctx.out(await ctx.ledger.closeRequest(id, { note: ctx.values.note, by }));
    }
  },

  async 'export-calllist'(ctx) {
    if (typeof ctx.values.topic !== 'string') throw new InvalidInput('--topic: give the topic the calls are about, e.g. --topic newsletter');
    const topic = parseInput(TopicSchema, ctx.values.topic, '--topic');
    const file = one(ctx, 'FILE.csv to write the call list to');
    let people = 0;
    const lines = callListCsv(ctx.ledger, topic, { strict: ctx.values.strict === true ? true : undefined, counted: (n) => (people = n) });
    await writePrivateFile(file, lines);
    ctx.out({ file, topic, channel: 'phone', people });
  },

  async remind(ctx) {
    const after = parseInput(Days('--after'), ctx.values.after ?? '');
    const max = parseInput(z.coerce.number().int().min(1, '--max: at least 1'), ctx.values.max ?? '2');
    const topic = ctx.values.topic ? parseInput(TopicSchema, ctx.values.topic, '--topic') : undefined;
    const due = await ctx.ledger.remind({ afterDays: after, maxReminders: max, topic, evidence: ctx.evidence });
    due.forEach((d) => ctx.out({ ...d, ...links(ctx, d) }));
  },

  async expire(ctx) {
    const after = parseInput(Days('--after'), ctx.values.after ?? '');
    const topic = ctx.values.topic ? parseInput(TopicSchema, ctx.values.topic, '--topic') : undefined;
    (await ctx.ledger.expire({ afterDays: after, topic, evidence: ctx.evidence })).forEach(ctx.out);
  },

  async maintain(ctx) {
    const days = (flag: string) => (typeof ctx.values[flag] === 'string' ? parseInput(Days(`--${flag}`), ctx.values[flag]) : undefined);
    ctx.out(await ctx.ledger.maintain({ purgeAfterDays: days('purge-after-days'), holdsEndingWithinDays: days('holds-within'), dryRun: ctx.values['dry-run'] === true }, ctx.evidence));
  },

  async 'end-holds'(ctx) {
    (await ctx.ledger.endHolds({ evidence: ctx.evidence })).forEach(ctx.out);
  },

  async purpose(ctx) {
    const ref = personRef(ctx.positionals, ctx.values);
    if (typeof ctx.values.purpose !== 'string') throw new InvalidInput('--purpose: name the purpose, e.g. --purpose emarketing or --purpose sales_and_service');
    const withdraw = ctx.values.withdraw === true;
    if (withdraw === (typeof ctx.values.basis === 'string')) throw new InvalidInput('give --basis B (e.g. --basis contract) or --withdraw, one of the two');
    const proofRef = typeof ctx.values['proof-ref'] === 'string' ? ctx.values['proof-ref'] : undefined;
    const description = typeof ctx.values.description === 'string' ? ctx.values.description : undefined;
    const input = withdraw ? { purpose: ctx.values.purpose, state: 'withdrawn' } : { purpose: ctx.values.purpose, state: 'active', basis: ctx.values.basis };
    ctx.out(await ctx.ledger.setPurpose(ref, input, { ...ctx.evidence, proofRef, description }));
  },

  async report(ctx) {
    if (typeof ctx.values.svg === 'string') {
      if (ctx.positionals.length > 0) throw new InvalidInput('report takes no FILE of its own: give the picture\'s file as --svg FILE');
      const funnel = await ctx.ledger.funnel({ weeks: ctx.values.weeks ?? undefined });
      const file = ctx.values.svg;
      await writePrivateFile(file, (async function* () { yield funnelSvg(funnel); })());
      ctx.out({ svg: file, ...funnel });
      return;
    }
    if (ctx.values.weeks !== undefined) throw new InvalidInput('--weeks goes with --svg FILE (the picture over the last N weeks)');
    (await ctx.ledger.report()).forEach(ctx.out);
    (await ctx.ledger.purposeReport()).forEach(ctx.out);
  },

  async worker(ctx) {
    await workerCli().runWorkerCommand(ctx.ledger, { config: ctx.values.config as string | undefined, once: ctx.values.once === true });
  },

  async serve(ctx) {
    await serveCli().runServe(ctx.ledger, ctx.values, ctx.out);
  },

  async keys(ctx) {
    const [action, id, ...extra] = ctx.positionals;
    if (action === 'create' && id === undefined) {
      const scopes = ((ctx.values.scope as string[] | undefined) ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
      const made = await ctx.ledger.createApiKey({ scopes, name: ctx.values.name as string | undefined, rate: ctx.values.rate as string | undefined });
      process.stderr.write('The key is shown this once (only its hash is kept): store it now.\n');
      ctx.out(made);
    } else if (action === 'list' && id === undefined) {
      (await ctx.ledger.listApiKeys()).forEach(ctx.out);
    } else if (action === 'revoke' && id !== undefined && extra.length === 0) {
      ctx.out(await ctx.ledger.revokeApiKey(id));
    } else {
      throw new InvalidInput('use: keys create --scope check,request [--name N], keys list, or keys revoke ID');
    }
  },

  async classify(ctx) {
    ctx.out(
      await workerCli().classifyFile(one(ctx, 'FILE.eml'), {
        ledger: ctx.ledger,
        trustedAuthservIds: (ctx.values['trusted-authserv-id'] as string[] | undefined) ?? [],
        ownAddresses: (ctx.values['own-address'] as string[] | undefined) ?? [],
        verifyDkim: ctx.values.dkim === true,
      }),
    );
  },
};

/** Commands that can do without the ledger: classify checks a token in a mail only when it has one. */
const LEDGER_OPTIONAL = new Set<Command>(['classify']);

const DEFAULT_DB = './consent-ledger.sqlite';

/** The commands that may make a new SQLite ledger file: init, and the worker on its first start. */
const MAY_CREATE = new Set<Command>(['init', 'worker']);

export async function runCli(argv: string[], out: Out = (v) => process.stdout.write(`${JSON.stringify(v)}\n`)): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(USAGE);
    return command ? 0 : 2;
  }
  if (!(command in OPTIONS)) {
    process.stderr.write(`n8n-consent: unknown command "${command}". Run n8n-consent --help for the list.\n`);
    return 2;
  }
  let ledger: Ledger | undefined;
  let isNewLedger = false;
  try {
    const { values, positionals } = parseArgs({
      args: rest,
      options: { ...COMMON, ...OPTIONS[command as Command] },
      allowPositionals: true,
      strict: true,
    });
    if (values.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const secret = readSecret({
      secret: values.secret as string | undefined,
      secretFile: values['secret-file'] as string | undefined,
      env: process.env,
      warn: (line) => process.stderr.write(`n8n-consent ${command}: ${line}\n`),
    });
    const previousSecrets = readPreviousSecrets({
      previousSecrets: values['previous-secret'] as string[] | undefined,
      previousSecretFile: values['previous-secret-file'] as string | undefined,
      env: process.env,
      warn: (line) => process.stderr.write(`n8n-consent ${command}: ${line}\n`),
    }).map((previous, i) => parseInput(SecretSchema, previous, `previous secret ${i + 1}`));
    const needsLedger = !LEDGER_OPTIONAL.has(command as Command);
    if (!secret && needsLedger) throw new InvalidInput('no secret: pass --secret-file FILE or set CONSENT_SECRET_FILE or CONSENT_SECRET (at least 32 characters; make one with: openssl rand -base64 32)');
    const clock = typeof values.now === 'string' ? fixedClock(parseInstant(values.now, '--now')) : clockFromEnvironment();
    if (secret) {
      const postgres = (values.postgres as string | undefined) ?? process.env.CONSENT_POSTGRES_URL;
      if (postgres && values.db) throw new InvalidInput('give --db (SQLite) or --postgres (PostgreSQL), not both');
      const db = (values.db as string | undefined) ?? DEFAULT_DB;
      if (!postgres) {
        if (command === 'init') requireLedgerFolder(db);
        else if (!MAY_CREATE.has(command as Command)) requireLedgerFile(db);
      }
      // A rejected secret leaves no pool connection open: Ledger.open closes the store then.
      ({ ledger, isNewLedger } = await Ledger.open({
        store: postgres ? { kind: 'postgres', url: postgres } : { kind: 'sqlite', path: db },
        settings: { secret, previousSecrets },
        clock,
      }));
    }
    const operator = (values.operator as string | undefined) ?? process.env.CONSENT_OPERATOR;
    await HANDLERS[command as Command]({
      ledger: ledger as Ledger,
      values: values as Context['values'],
      positionals,
      out,
      isNewLedger,
      evidence: { actor: { kind: 'operator', ...(operator ? { name: operator } : {}) }, source: { kind: 'cli' } },
    });
    return 0;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`n8n-consent ${command}: ${message}\n`);
    const isBadInput = error instanceof ConsentError ? error.code !== 'STORE_UNAVAILABLE' : (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    return isBadInput ? 2 : 1;
  } finally {
    await ledger?.close();
  }
}
