import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { z } from 'zod/v4';
import { ConsentError, InvalidInput, StoreUnavailable, TokenRejected, TransitionRefused } from '../../core/errors';
import { CheckItemSchema, HookCreateSchema, RequestFilterSchema, type ApiScope, type Ledger, type PrivacyMailPlan, type RequestResult } from '../../core/ledger';
import { parseInstant } from '../../core/clock';
import { importContactsCsv, type ImportReport } from '../../core/import';
import { linkFor } from '../../core/links';
import { handleLinkRequest, kindFromPath, readForm, tokenOf } from '../../core/pages/handle';
import type { PageOptions } from '../../core/pages/options';
import { parseInput } from '../../core/validation';
import { docsPage } from './docs';
import { checkHookUrl } from './hooks';
import { openApiDocument } from './openapi';
import { TokenBucket } from './rate-limit';
import { CheckBodySchema, EraseBodySchema, ExportBodySchema, HoldBodySchema, ImportQuerySchema, PersonSchema, RequestBodySchema, RequestsQuerySchema, UnsubscribeBodySchema } from './schemas';

/**
 * `n8n-consent serve`: the consent service (issue 14). An HTTP face over the same ledger as the CLI
 * and the nodes: every operation is one Ledger call (or the CLI's own pairing of a call with its
 * line in the requests register), the link pages are core/pages' handleLinkRequest. Hono on
 * node:http (@hono/node-server).
 */

export interface ServiceOptions {
  ledger: Ledger;
  pageOptions: PageOptions;
  /** Where the link pages are reached from outside, e.g. https://consent.example.nl (the pages are under /consent). */
  publicUrl: string;
  /** Signups per client IP: a bucket of this many, refilled at this many per hour. */
  signupsPerHour: number;
  log: (line: Record<string, unknown>) => void;
  /**
   * Sends the mail of a privacy request form submission (/consent/privacy), its links under
   * publicUrl: the command builds it from CONSENT_SMTP_* and CONSENT_REPLY_FROM. Without it the
   * form answers "try again later".
   */
  mailPrivacyRequest?: (plan: PrivacyMailPlan, linkBase: string) => Promise<void>;
  /** Calls per minute of a key made without --rate; null: no limit. */
  keyRate?: number | null;
  /** Hooks may name private/loopback receivers (tests, an internal network); refused by default (SSRF). */
  hooksAllowPrivate?: boolean;
  /** Calls per minute per client IP on /v1 and /consent (a burst of this many); null or absent: no limit. */
  ipRate?: number | null;
  /** Behind one reverse proxy: the client IP is the last X-Forwarded-For entry (the proxy's own view). */
  trustProxy?: boolean;
}

type Env = { Bindings: { incoming: IncomingMessage }; Variables: { keyId?: string; scopes?: ApiScope[] } };

class HttpError extends Error {
  constructor(
    readonly status: 401 | 403 | 429,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** The largest API body read (import's CSV included). */
const API_MAX_BODY = 1024 * 1024;

export const OPERATIONS: { method: 'get' | 'post' | 'delete'; path: string; scope: ApiScope; summary: string }[] = [
  { method: 'post', path: '/v1/request', scope: 'request', summary: 'Ask for consent: a signup (double opt-in) or a campaign; returns the links to mail' },
  { method: 'post', path: '/v1/check', scope: 'check', summary: 'May we contact this person (one) or these people (items)?' },
  { method: 'post', path: '/v1/unsubscribe', scope: 'unsubscribe', summary: 'Unsubscribe a person or a token from some topics or all' },
  { method: 'post', path: '/v1/erase', scope: 'erase', summary: 'Erase a person (GDPR Art. 17); a retention hold defers it' },
  { method: 'get', path: '/v1/requests', scope: 'requests', summary: 'The requests register (GDPR Art. 12(3)), most urgent first' },
  { method: 'get', path: '/v1/report', scope: 'report', summary: 'Counts per topic x channel x status, and per purpose x basis x state' },
  { method: 'post', path: '/v1/hold', scope: 'hold', summary: 'Set a retention hold on a person (erasure then suppresses), or release it' },
  { method: 'post', path: '/v1/export', scope: 'export', summary: "One person's data (GDPR Art. 15): identity, topics, purposes, events; logged in the register when it answers a request" },
  { method: 'post', path: '/v1/import', scope: 'import', summary: 'Import contacts: a CSV body (text/csv, at most 1 MB), the same columns and rules as n8n-consent import' },
  { method: 'get', path: '/v1/events', scope: 'events', summary: 'The event feed: confirmed, unsubscribed, erased, bounced, after a cursor (polling)' },
  { method: 'post', path: '/v1/hooks', scope: 'hooks', summary: 'Subscribe a REST hook: each event POSTed to the URL, signed; the secret is shown once' },
  { method: 'get', path: '/v1/hooks', scope: 'hooks', summary: 'The REST hooks (no secrets)' },
  { method: 'delete', path: '/v1/hooks/{id}', scope: 'hooks', summary: 'Unsubscribe a REST hook' },
];

export function createApp(options: ServiceOptions): Hono<Env> {
  const { ledger } = options;
  const app = new Hono<Env>();
  // Buckets on the ledger's clock (tests move it); a rate per minute is also the burst.
  const now = () => ledger.clock().getTime();
  const perMinute = (rate: number) => new TokenBucket(rate, rate / 60_000, now);
  // One bucket set per rate (a key's own --rate, or the service's --key-rate), keyed by key id.
  const keyBuckets = new Map<number, TokenBucket>();
  const takeFor = (keyId: string, rate: number) => {
    let buckets = keyBuckets.get(rate);
    if (!buckets) keyBuckets.set(rate, (buckets = perMinute(rate)));
    return buckets.take(keyId);
  };
  const signups = new TokenBucket(options.signupsPerHour, options.signupsPerHour / 3_600_000, now);
  const linkBase = () => `${options.publicUrl.replace(/\/+$/, '')}/consent`;
  const clientIp = (c: Context<Env>) => {
    const socket = c.env.incoming.socket.remoteAddress ?? 'unknown';
    if (!options.trustProxy) return socket;
    // The proxy appends the address it saw: the last entry (earlier ones are the client's own say).
    const last = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim();
    return last && isIP(last) ? last : socket;
  };
  const retryAfter = (waitMs: number) => ({ 'Retry-After': String(Math.ceil(waitMs / 1000)) });
  const TOO_MANY_PAGE = 'Too many requests from this address; try again later.';
  const perIp = options.ipRate ? perMinute(options.ipRate) : undefined;

  // One JSON line per request: the path without its query (a token lives there), never an address.
  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    options.log({
      at: new Date().toISOString(),
      method: c.req.method,
      path: logPath(c.req.path),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      ...(c.get('keyId') ? { key: c.get('keyId') } : {}),
    });
  });

  // Calls per client IP, before anything else is read or looked up (a key check included).
  const ipLimit = async (c: Context<Env>, next: () => Promise<void>) => {
    const wait = perIp ? perIp.take(clientIp(c)) : 0;
    if (wait === 0) return next();
    if (c.req.path.startsWith('/v1/')) return c.json({ error: { code: 'RATE_LIMITED', message: `at most ${options.ipRate} calls per minute from one address; try again later` } }, 429, retryAfter(wait));
    return c.text(TOO_MANY_PAGE, 429, retryAfter(wait));
  };
  app.use('/v1/*', ipLimit);
  app.use('/consent/*', ipLimit);

  app.onError((error, c) => {
    if (error instanceof HttpError) return c.json({ error: { code: error.code, message: error.message } }, error.status, error.headers);
    if (error instanceof InvalidInput || error instanceof SyntaxError) return c.json({ error: { code: 'INVALID_INPUT', message: error.message } }, 400);
    if (error instanceof TokenRejected) return c.json({ error: { code: error.code, message: error.message } }, error.problem === 'expired' ? 410 : 400);
    if (error instanceof TransitionRefused) return c.json({ error: { code: error.code, message: error.message } }, 409);
    if (error instanceof StoreUnavailable) return c.json({ error: { code: error.code, message: 'the ledger is unavailable; try again later' } }, 503);
    const code = error instanceof ConsentError ? error.code : 'INTERNAL';
    options.log({ at: new Date().toISOString(), level: 'error', path: logPath(c.req.path), code, error: error.name });
    return c.json({ error: { code, message: 'internal error' } }, 500);
  });

  app.get('/healthz', (c) => c.json({ ok: true }));
  app.get('/readyz', async (c) => {
    try {
      await ledger.listApiKeys();
      return c.json({ ready: true, dialect: ledger.dialect });
    } catch {
      return c.json({ ready: false }, 503);
    }
  });
  const document = openApiDocument(OPERATIONS);
  app.get('/openapi.json', (c) => c.json(document));
  const docs = docsPage(document);
  app.get('/docs', (c) => c.html(docs, 200, { 'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'", 'X-Content-Type-Options': 'nosniff' }));

  // ---- the link pages: no key; GET and HEAD show, POST acts (core/pages)
  app.use('/consent/*', bodyLimit({ maxSize: 64 * 1024, onError: (c) => c.text('too large', 413, { Connection: 'close' }) }));
  app.all('/consent/:kind', async (c) => {
    const kind = kindFromPath(c.req.path);
    if (!kind) return c.text('not found', 404);
    const url = new URL(c.req.url);
    const query: Record<string, string | string[]> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? [query[k], v].flat() : v;
    const body = c.req.method === 'POST' ? await c.req.text() : undefined;
    if (kind === 'privacy' && body !== undefined && !tokenOf(query, readForm(body, c.req.header('content-type')))) {
      // A privacy form submission (a POST without a token, as core/pages reads it) mails whoever it names: the signups' per-IP limit (list bombing).
      const wait = signups.take(clientIp(c));
      if (wait > 0) return c.text(TOO_MANY_PAGE, 429, retryAfter(wait));
    }
    const response = await handleLinkRequest(
      ledger,
      { method: c.req.method, kind, query, body, headers: c.req.header(), ip: clientIp(c) },
      options.pageOptions,
      {
        onError: (error) => options.log({ at: new Date().toISOString(), level: 'error', path: logPath(c.req.path), error: (error as Error).name }),
        ...(options.mailPrivacyRequest ? { mailPrivacyRequest: (plan: PrivacyMailPlan) => options.mailPrivacyRequest!(plan, linkBase()) } : {}),
      },
    );
    const status = response.status as 200;
    return c.req.method === 'HEAD' ? c.body(null, status, response.headers) : c.body(response.html, status, response.headers);
  });

  // ---- the API: a key with the operation's scope (a body too large is refused unread: the connection closes)
  const tooLarge = (c: Context<Env>) => c.json({ error: { code: 'TOO_LARGE', message: 'the body is over 1 MB: send fewer items per call' } }, 413, { Connection: 'close' });
  const apiBodyLimit = bodyLimit({ maxSize: API_MAX_BODY, onError: tooLarge });
  app.use('/v1/*', async (c, next) => {
    // A Content-Length is checked from the node request itself: hono's bodyLimit reads the body
    // through a web stream (c.req.raw.body), which makes every call's body read the slow way.
    // A chunked body (no length) goes through bodyLimit, counted as it is read.
    const { headers } = c.env.incoming;
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || c.req.method === 'DELETE') return next();
    if (headers['content-length'] !== undefined && headers['transfer-encoding'] === undefined) {
      return Number(headers['content-length']) > API_MAX_BODY ? tooLarge(c) : next();
    }
    return apiBodyLimit(c, next);
  });
  /** scope null: any valid key (GET /v1/key). */
  const guard = (scope: ApiScope | null) => async (c: Context<Env>, next: () => Promise<void>) => {
    const auth = c.req.header('authorization') ?? '';
    const key = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    const found = key ? await ledger.verifyApiKey(key) : null;
    if (!found) throw new HttpError(401, 'UNAUTHORIZED', 'give a valid API key: Authorization: Bearer <key> (make one with n8n-consent keys create)', { 'WWW-Authenticate': 'Bearer' });
    c.set('keyId', found.id);
    const rate = found.rate ?? options.keyRate ?? null;
    const wait = rate === null ? 0 : takeFor(found.id, rate);
    if (wait > 0) throw new HttpError(429, 'RATE_LIMITED', `this key may make ${rate} calls per minute; try again later`, retryAfter(wait));
    c.set('scopes', found.scopes);
    if (scope !== null && !found.scopes.includes(scope)) throw new HttpError(403, 'FORBIDDEN', `this key's scopes (${found.scopes.join(', ')}) do not include ${scope}`);
    await next();
  };
  const evidenceOf = (c: Context<Env>) => ({ actor: { kind: 'system' as const }, source: { kind: 'api' as const, ref: `key ${c.get('keyId')}` } });

  // Which key this is and what it may do: the credential test of a client (the n8n Cloud node's), whatever the key's scopes.
  app.get('/v1/key', guard(null), (c) => c.json({ id: c.get('keyId'), scopes: c.get('scopes') }));

  app.post('/v1/request', guard('request'), async (c) => {
    const body = parse(RequestBodySchema, await json(c));
    if (body.mode === 'signup') {
      // The list-bombing guard's other half: signups per client IP (the person's, when the site relays it).
      for (const item of body.items) {
        const ip = item.evidence?.ip ?? clientIp(c);
        const wait = signups.take(ip);
        if (wait > 0) throw new HttpError(429, 'RATE_LIMITED', 'too many signups from this address; try again later', retryAfter(wait));
      }
    }
    const items = body.items.map((item) => ({ ...item, evidence: item.evidence ?? evidenceOf(c) }));
    const results = await ledger.request(items, body.mode);
    return c.json({ results: results.map((r) => withLinks(linkBase(), r)) });
  });

  app.post('/v1/check', guard('check'), async (c) => {
    const raw = await json(c);
    if (raw && typeof raw === 'object' && 'items' in raw) {
      const body = parse(CheckBodySchema, raw);
      return c.json({ results: await ledger.check(body.items, { strict: body.strict }) });
    }
    const { strict, ...item } = (raw ?? {}) as { strict?: unknown };
    const [result] = await ledger.check([parse(CheckItemSchema, item)], { strict: strict === true ? true : undefined });
    return c.json(result);
  });

  app.post('/v1/unsubscribe', guard('unsubscribe'), async (c) => {
    const body = parse(UnsubscribeBodySchema, await json(c));
    const ref = body.token ? undefined : parse(PersonSchema, { email: body.email, phone: body.phone, externalId: body.externalId, subjectId: body.subjectId });
    const evidence = body.evidence ?? evidenceOf(c);
    // As the CLI does: the unsubscribe and its line in the requests register commit together.
    return c.json(
      await ledger.atomically(async () => {
        const result = ref ? await ledger.unsubscribeByRef(ref, body.topics, body.channel, evidence) : await ledger.unsubscribeByToken(body.token, body.topics, evidence);
        const logged = await ledger.recordHandledRequest({
          channel: 'api', kind: 'unsubscribe', handledBy: `API key ${c.get('keyId')}`, outcome: result.outcome,
          subjectId: 'subjectId' in result ? result.subjectId : null, address: ref?.email ?? ref?.phone ?? null,
        });
        return { ...result, requestId: logged.id };
      }),
    );
  });

  app.post('/v1/erase', guard('erase'), async (c) => {
    const body = parse(EraseBodySchema, await json(c));
    const ref = parse(PersonSchema, { email: body.email, phone: body.phone, externalId: body.externalId, subjectId: body.subjectId });
    const evidence = body.evidence ?? { actor: { kind: 'operator' as const }, source: { kind: 'api' as const, ref: `key ${c.get('keyId')}` } };
    return c.json(
      await ledger.atomically(async () => {
        const result = await ledger.erase(ref, { reason: body.reason, evidence });
        // The register keeps no address of an erasure: the receipt is its record.
        const logged = await ledger.recordHandledRequest({
          channel: 'api', kind: 'erase', handledBy: `API key ${c.get('keyId')}`, outcome: result.outcome,
          subjectId: result.subjectId, address: null, detail: `receipt=${result.receiptId}`,
        });
        return { ...result, requestId: logged.id };
      }),
    );
  });

  app.get('/v1/requests', guard('requests'), async (c) => {
    const q = parse(RequestsQuerySchema, c.req.query());
    const filter = parse(RequestFilterSchema, { open: q.open === 'true', overdue: q.overdue === 'true', dueWithinDays: q.dueWithinDays === undefined ? undefined : Number(q.dueWithinDays) });
    const requests = [];
    for await (const entry of ledger.listRequests(filter)) requests.push(entry);
    return c.json({ requests });
  });

  app.get('/v1/report', guard('report'), async (c) => c.json({ statuses: await ledger.report(), purposes: await ledger.purposeReport() }));

  app.post('/v1/hold', guard('hold'), async (c) => {
    const body = parse(HoldBodySchema, await json(c));
    const ref = parse(PersonSchema, { email: body.email, phone: body.phone, externalId: body.externalId, subjectId: body.subjectId });
    const evidence = body.evidence ?? { actor: { kind: 'operator' as const }, source: { kind: 'api' as const, ref: `key ${c.get('keyId')}` } };
    const subject = body.release ? await ledger.releaseHold(ref, evidence) : await ledger.hold(ref, parseInstant(body.until!, 'until'), body.reason!, evidence);
    return c.json({ subjectId: subject.id, holdUntil: subject.holdUntil, holdReason: subject.holdReason });
  });

  app.post('/v1/export', guard('export'), async (c) => {
    const body = parse(ExportBodySchema, await json(c));
    const ref = parse(PersonSchema, { email: body.email, phone: body.phone, externalId: body.externalId, subjectId: body.subjectId });
    // As the CLI's export: not knowing someone is an answer too; one that answers a request is in the register.
    const result = await ledger.export(ref);
    if (!body.asRequest && !body.requestId) return c.json(result ?? { found: false });
    const logged = await ledger.recordHandledRequest({
      requestId: body.requestId, channel: 'api', kind: 'access', handledBy: `API key ${c.get('keyId')}`, outcome: 'answered',
      subjectId: result?.subject.id ?? null, address: ref.email ?? ref.phone ?? null,
    });
    return c.json({ ...(result ?? { found: false }), requestId: logged.id });
  });

  app.post('/v1/import', guard('import'), async (c) => {
    if (!/^text\/csv\b/i.test(c.req.header('content-type') ?? '')) throw new InvalidInput('send the contacts as CSV (Content-Type: text/csv), the columns of n8n-consent import');
    const { encoding } = parse(ImportQuerySchema, c.req.query());
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    const rows: ImportReport[] = [];
    const summary = await importContactsCsv(ledger, [bytes], { encoding, evidence: { actor: { kind: 'system' }, source: { kind: 'import', ref: `API key ${c.get('keyId')}` } } }, (r) => {
      rows.push(r);
    });
    return c.json({ summary, rows });
  });

  app.get('/v1/events', guard('events'), async (c) => c.json(await ledger.listFeed(c.req.query())));

  app.post('/v1/hooks', guard('hooks'), async (c) => {
    const body = parse(HookCreateSchema, await json(c));
    await checkHookUrl(body.url, options.hooksAllowPrivate === true);
    const made = await ledger.createHook(body, c.get('keyId') ?? null);
    return c.json({ id: made.id, url: made.url, types: made.types, secret: made.secret, createdAt: made.createdAt }, 201);
  });
  app.get('/v1/hooks', guard('hooks'), async (c) => c.json({ hooks: (await ledger.listHooks()).map(({ retryAt: _r, ...hook }) => hook) }));
  app.delete('/v1/hooks/:id', guard('hooks'), async (c) => {
    const id = c.req.param('id') ?? '';
    if (!/^hook_[0-9a-f]{16}$/.test(id) || !(await ledger.deleteHook(id))) return c.json({ error: { code: 'NOT_FOUND', message: 'no such hook; see GET /v1/hooks' } }, 404);
    return c.body(null, 204);
  });

  app.notFound((c) => c.json({ error: { code: 'NOT_FOUND', message: 'no such operation; see /openapi.json' } }, 404));
  return app;
}

function parse<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  return parseInput(schema, value);
}

async function json(c: Context<Env>): Promise<unknown> {
  const text = await c.req.text();
  if (!/^application\/json\b/i.test(c.req.header('content-type') ?? '')) throw new InvalidInput('send the body as JSON (Content-Type: application/json)');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new InvalidInput('the body is not valid JSON');
  }
}

function withLinks(base: string, r: RequestResult) {
  return {
    ...r,
    confirmUrl: r.confirmToken ? linkFor(base, 'confirm', r.confirmToken) : null,
    unsubscribeUrl: r.unsubscribeToken ? linkFor(base, 'unsubscribe', r.unsubscribeToken) : null,
    preferencesUrl: r.unsubscribeToken ? linkFor(base, 'preferences', r.unsubscribeToken) : null,
  };
}

/** The path for the log: no query; anything past a known route is cut (it could hold a token or an address). */
function logPath(path: string): string {
  if (/^\/v1\/hooks\/[^/]+$/.test(path)) return '/v1/hooks/:id';
  return /^\/(v1\/[a-z]+|consent\/[a-z]+|healthz|readyz|docs|openapi\.json)$/.test(path) ? path : '(other)';
}
