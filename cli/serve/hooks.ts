import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { InvalidInput } from '../../core/errors';
import { signHookBody, type FeedEvent, type Ledger, type StoredHook } from '../../core/ledger';

/**
 * Delivers the event feed to the REST hooks: per hook, in event order, one POST at a time, signed
 * (Consent-Signature: t=<unix s>,v1=<hex HMAC-SHA256(secret, "t.body")>). A 2xx moves the hook's
 * position (kept in the ledger, so a restart resumes there: at-least-once, a crash between the
 * receiver's 2xx and that write sends the event again); 410 Gone deletes the hook; anything else
 * waits retryMs, then doubling, at most MAX_RETRY_MS, and after MAX_FAILURES failures in a row the
 * hook is disabled (listed with its last error; the feed still has the events). One deliverer per
 * ledger at a time: it delivers only while it holds the ledger's "rest hooks" lease (on PostgreSQL
 * an advisory lock across processes, the mailbox worker's kind, released when its process dies;
 * on SQLite within the process), so several serve processes on one ledger take turns, and when the
 * one delivering dies another takes over where the ledger's positions say.
 */

export const MAX_FAILURES = 20;
/** The lease's name among the ledger's leases (the mailbox workers' are their mailboxes). */
export const HOOKS_LEASE = 'rest hooks';
export const MAX_RETRY_MS = 60 * 60 * 1000;
const TIMEOUT_MS = 10_000;
const BATCH = 50;

/** Loopback, private, link-local, CGNAT, multicast, unspecified: not a receiver on the internet (SSRF). */
const PRIVATE = new BlockList();
for (const [net, bits] of [['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12], ['192.0.0.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['224.0.0.0', 3]] as const) {
  PRIVATE.addSubnet(net, bits, 'ipv4');
}
for (const [net, bits] of [['::', 127], ['fc00::', 7], ['fe80::', 10], ['ff00::', 8], ['64:ff9b::', 96]] as const) PRIVATE.addSubnet(net, bits, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return PRIVATE.check(mapped, 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return PRIVATE.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** Resolves like the OS, refusing a private answer (checked again at each delivery: DNS may change). */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = !allowPrivate && addresses.some((a) => isPrivateAddress(a.address));
      if (refused || addresses.length === 0) return callback(Object.assign(new Error(`${hostname} resolves to a private address`), { code: 'EPRIVATE' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** The URL's host when given as an address; refused when private (unless allowed). */
export async function checkHookUrl(url: string, allowPrivate: boolean): Promise<void> {
  if (allowPrivate) return;
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await new Promise<string[]>((resolve) => dnsLookup(host, { all: true }, (e, a) => resolve(e ? [] : a.map((x) => x.address))));
  if (addresses.length === 0) throw new InvalidInput(`url: ${host} does not resolve; give a receiver reachable from this server`);
  if (addresses.some(isPrivateAddress)) {
    throw new InvalidInput('url: a private, loopback or link-local address is refused (start serve with --hooks-allow-private to allow it)');
  }
}

export type Outcome = { kind: 'delivered' } | { kind: 'gone' } | { kind: 'failed'; error: string };

/** One POST of one event. No redirect is followed. */
export function postEvent(url: string, body: string, headers: Record<string, string>, allowPrivate: boolean): Promise<Outcome> {
  return new Promise((resolve) => {
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    if (!allowPrivate && isIP(host) && isPrivateAddress(host)) return resolve({ kind: 'failed', error: 'private address refused' });
    const options: RequestOptions = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)), 'User-Agent': 'n8n-consent-hooks/1', ...headers },
      lookup: guardedLookup(allowPrivate),
      timeout: TIMEOUT_MS,
    };
    const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, options, (res) => {
      res.resume();
      const status = res.statusCode ?? 0;
      resolve(status >= 200 && status < 300 ? { kind: 'delivered' } : status === 410 ? { kind: 'gone' } : { kind: 'failed', error: `HTTP ${status}` });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ kind: 'failed', error: error.code ?? error.message.slice(0, 200) }));
    req.end(body);
  });
}

export interface DelivererOptions {
  ledger: Ledger;
  allowPrivate: boolean;
  /** The first retry's wait; each further one doubles (at most MAX_RETRY_MS). */
  retryMs: number;
  /** How often the feed is looked at for new events. */
  pollMs: number;
  log: (line: Record<string, unknown>) => void;
}

export class HookDeliverer {
  private leading: Promise<void> | undefined;
  /** False while this process does not hold the lease: a delivery under way stops at its next event. */
  private holding = false;
  private readonly stopSignal = new AbortController();
  private wake: (() => void) | undefined;

  constructor(private readonly options: DelivererOptions) {}

  private get stopped(): boolean {
    return this.stopSignal.signal.aborted;
  }

  start(): void {
    this.leading = this.lead().catch((error: Error) => this.log({ level: 'error', hooks: 'stopped delivering', error: error.name, message: error.message.slice(0, 200) }));
  }

  async stop(): Promise<void> {
    this.stopSignal.abort(new Error('serve is stopping'));
    this.wake?.();
    await this.leading;
  }

  private log(line: Record<string, unknown>) {
    this.options.log({ at: new Date().toISOString(), ...line });
  }

  /** Takes the lease (waiting while another process holds it), delivers while it holds it, and again after a loss. */
  private async lead() {
    while (!this.stopped) {
      let lease;
      try {
        lease = await this.options.ledger.acquireMailboxLease(HOOKS_LEASE, { signal: this.stopSignal.signal, onWaiting: () => this.log({ hooks: 'waiting for the lease' }) });
      } catch (error) {
        if (this.stopped) return;
        this.log({ level: 'error', hooks: 'lease failed', error: (error as Error).name });
        await this.sleep(this.options.retryMs);
        continue;
      }
      if (!lease) return; // stopped while waiting
      this.holding = true;
      this.log({ hooks: 'delivering' });
      void lease.lost.then(() => {
        if (!this.holding) return;
        this.holding = false;
        this.log({ level: 'error', hooks: 'lease lost; taking it again' });
        this.wake?.();
      });
      try {
        while (!this.stopped && this.holding) {
          await this.round().catch((error: Error) => this.log({ level: 'error', hooks: 'round failed', error: error.name }));
          if (!this.stopped && this.holding) await this.sleep(this.options.pollMs);
        }
      } finally {
        this.holding = false;
        await lease.release().catch(() => undefined);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  /** Every hook due, side by side; each one's events in order. */
  private async round() {
    const hooks = await this.options.ledger.listHooks();
    await Promise.all(hooks.filter((h) => !h.disabledAt && h.retryAt <= Date.now()).map((h) => this.deliverHook(h)));
  }

  private async deliverHook(hook: StoredHook) {
    const { ledger, log } = this.options;
    const secret = ledger.hookSecret(hook.id);
    let position = hook.position;
    let failures = hook.failures;
    while (!this.stopped && this.holding) {
      const page = await ledger.listFeed({ after: position, types: hook.types.join(','), limit: BATCH });
      for (const event of page.events) {
        if (this.stopped || !this.holding) return;
        const outcome = await this.send(hook, secret, event);
        log({ at: new Date().toISOString(), hook: hook.id, event: event.id, outcome: outcome.kind, ...(outcome.kind === 'failed' ? { error: outcome.error } : {}) });
        if (outcome.kind === 'gone') {
          await ledger.deleteHook(hook.id);
          return;
        }
        if (outcome.kind === 'failed') {
          failures += 1;
          const wait = Math.min(MAX_RETRY_MS, this.options.retryMs * 2 ** (failures - 1));
          const disabled = failures >= MAX_FAILURES ? ledger.clock().toISOString() : null;
          await ledger.updateHook(hook.id, { failures, retryAt: Date.now() + wait, lastError: `event ${event.id}: ${outcome.error}`, disabledAt: disabled });
          return;
        }
        position = event.id;
        failures = 0;
        if (!(await ledger.updateHook(hook.id, { position, failures: 0, retryAt: 0, lastError: null }))) return; // deleted meanwhile
      }
      if (page.events.length < BATCH) return;
    }
  }

  private send(hook: StoredHook, secret: string, event: FeedEvent): Promise<Outcome> {
    const body = JSON.stringify(event);
    const signature = signHookBody(secret, Math.floor(Date.now() / 1000), body);
    return postEvent(hook.url, body, { 'Consent-Signature': signature, 'Consent-Event-Id': event.id }, this.options.allowPrivate);
  }
}
