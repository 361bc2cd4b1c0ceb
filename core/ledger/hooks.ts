import { createHmac, randomBytes } from 'node:crypto';
import { z } from 'zod/v4';
import { InvalidInput } from '../errors';
import { derive } from '../secrets';
import { parseInput } from '../validation';
import type { LedgerContext } from './context';
import { FEED_TYPES, type FeedType } from './feed';

/**
 * REST hooks of the consent service (issue 14): a receiver's URL and the event types it wants,
 * kept like the API keys in the store's meta table (one row `api_hooks`, a JSON list; both
 * dialects, no schema change), with each hook's position in the event feed, so delivery resumes
 * after a restart. The signing secret is not stored: it is derived from the ledger's secret and
 * the hook's id (so rotating CONSENT_SECRET changes every hook's secret).
 */

const META_KEY = 'api_hooks';
export const MAX_HOOKS = 100;

export const HookCreateSchema = z.object({
  url: z
    .string({ error: 'the receiver, an https:// (or http://) URL' })
    .trim()
    .max(2000, 'at most 2000 characters')
    .pipe(z.url({ protocol: /^https?$/, error: 'an http(s) URL, e.g. https://hooks.example.com/consent' })),
  types: z
    .array(z.enum(FEED_TYPES, { error: `a type is one of ${FEED_TYPES.join(', ')}` }))
    .min(1, `give at least one of ${FEED_TYPES.join(', ')}`)
    .default([...FEED_TYPES]),
});
export type HookCreate = z.input<typeof HookCreateSchema>;

export interface StoredHook {
  id: string;
  url: string;
  types: FeedType[];
  createdAt: string;
  /** The API key that made it. */
  keyId: string | null;
  /** The id of the last event delivered (or skipped as not wanted): the feed cursor. */
  position: string;
  /** Failed attempts at the event after `position`, in a row. */
  failures: number;
  /** Epoch ms before which the next attempt waits (0: now). */
  retryAt: number;
  /** Set when the hook gave up after too many failures: listed, no longer delivered. */
  disabledAt: string | null;
  lastError: string | null;
}

export type HookInfo = Omit<StoredHook, 'retryAt'>;

function readHooks(value: string | undefined): StoredHook[] {
  if (!value) return [];
  const parsed = JSON.parse(value) as unknown;
  return Array.isArray(parsed) ? (parsed as StoredHook[]) : [];
}

/**
 * The list is read, changed and written back whole: changes in this process take turns, so a
 * delivery's position write cannot undo a DELETE or drop a hook made meanwhile (READ COMMITTED on
 * PostgreSQL would let them interleave). Several serve processes on one ledger: see HookDeliverer.
 */
let turn: Promise<unknown> = Promise.resolve();
function inTurn<T>(fn: () => Promise<T>): Promise<T> {
  const run = turn.then(fn, fn);
  turn = run.catch(() => undefined);
  return run;
}

export const hookInfo = ({ retryAt: _r, ...rest }: StoredHook): HookInfo => rest;

/** The hook's signing secret: HMAC key of its Consent-Signature header. */
export function hookSecret(ctx: LedgerContext, id: string): string {
  return `whsec_${derive(ctx.settings.secret, `hook v1 ${id}`).toString('hex')}`;
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` */
export function signHookBody(secret: string, unixSeconds: number, body: string): string {
  return `t=${unixSeconds},v1=${createHmac('sha256', secret).update(`${unixSeconds}.${body}`, 'utf8').digest('hex')}`;
}

/** A new hook, delivered the events from now on (the feed keeps the earlier ones). */
export async function createHook(ctx: LedgerContext, input: unknown, keyId: string | null): Promise<HookInfo & { secret: string }> {
  const { url, types } = parseInput(HookCreateSchema, input);
  const id = `hook_${randomBytes(8).toString('hex')}`;
  const row = await inTurn(() => ctx.store.transaction(async (tx) => {
    await tx.insertMetaIfAbsent(META_KEY, '[]');
    const hooks = readHooks(await tx.getMeta(META_KEY));
    if (hooks.length >= MAX_HOOKS) throw new InvalidInput(`at most ${MAX_HOOKS} hooks: delete one first (DELETE /v1/hooks/ID)`);
    const made: StoredHook = {
      id, url, types: [...new Set(types)], createdAt: ctx.now().toISOString(), keyId,
      position: String(await tx.lastEventId()), failures: 0, retryAt: 0, disabledAt: null, lastError: null,
    };
    await tx.setMeta(META_KEY, JSON.stringify([...hooks, made]));
    return made;
  }));
  return { ...hookInfo(row), secret: hookSecret(ctx, id) };
}

export async function listHooks(ctx: LedgerContext): Promise<StoredHook[]> {
  return ctx.store.transaction(async (tx) => readHooks(await tx.getMeta(META_KEY)));
}

/** True when the hook was there. */
export async function deleteHook(ctx: LedgerContext, id: string): Promise<boolean> {
  return inTurn(() => ctx.store.transaction(async (tx) => {
    const hooks = readHooks(await tx.getMeta(META_KEY));
    const kept = hooks.filter((h) => h.id !== id);
    if (kept.length === hooks.length) return false;
    await tx.setMeta(META_KEY, JSON.stringify(kept));
    return true;
  }));
}

/** The deliverer's record of an attempt; a hook deleted meanwhile stays deleted (false). */
export async function updateHook(ctx: LedgerContext, id: string, patch: Partial<Pick<StoredHook, 'position' | 'failures' | 'retryAt' | 'disabledAt' | 'lastError'>>): Promise<boolean> {
  return inTurn(() => ctx.store.transaction(async (tx) => {
    const hooks = readHooks(await tx.getMeta(META_KEY));
    const found = hooks.find((h) => h.id === id);
    if (!found) return false;
    Object.assign(found, patch);
    await tx.setMeta(META_KEY, JSON.stringify(hooks));
    return true;
  }));
}
