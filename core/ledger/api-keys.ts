import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod/v4';
import { InvalidInput } from '../errors';
import { parseInput } from '../validation';
import type { LedgerContext } from './context';

/**
 * The consent service's API keys (issue 14), kept in the store's meta table (no schema change,
 * both dialects): one meta row `api_keys` holding a JSON list of {id, name, scopes, hash, created,
 * revoked}. The key itself is shown once and never stored: only its SHA-256 (a 32-byte random key
 * needs no slow hash), compared in constant time. A key is `nck_<id>_<secret>`; the id finds the
 * row, the hash of the whole key proves it.
 */

export const API_SCOPES = ['check', 'request', 'unsubscribe', 'erase', 'requests', 'report', 'events', 'hooks', 'hold', 'export', 'import'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

const META_KEY = 'api_keys';
const KEY_FORMAT = /^nck_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export const ApiKeyCreateSchema = z.object({
  scopes: z
    .array(z.enum(API_SCOPES, { error: `a scope is one of ${API_SCOPES.join(', ')}` }))
    .min(1, `give at least one scope: ${API_SCOPES.join(', ')}`),
  name: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'one line, no control characters').optional(),
  /** Calls per minute this key may make (a burst of this many, refilled evenly); none: the service's --key-rate. */
  rate: z.coerce.number({ error: 'rate: calls per minute, a whole number' }).int('rate: calls per minute, a whole number').min(1, 'rate: at least 1 call per minute').max(1_000_000).optional(),
});
export type ApiKeyCreate = z.input<typeof ApiKeyCreateSchema>;

interface StoredKey {
  id: string;
  name: string | null;
  scopes: ApiScope[];
  /** Calls per minute; null: the service's default. */
  rate?: number | null;
  /** hex SHA-256 of the whole key */
  hash: string;
  createdAt: string;
  revokedAt: string | null;
}

/** A key as listed: never its hash. */
export type ApiKeyInfo = Omit<StoredKey, 'hash'>;

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

function readKeys(value: string | undefined): StoredKey[] {
  if (!value) return [];
  const parsed = JSON.parse(value) as unknown;
  return Array.isArray(parsed) ? (parsed as StoredKey[]) : [];
}

const info = ({ hash: _hash, ...rest }: StoredKey): ApiKeyInfo => rest;

export async function createApiKey(ctx: LedgerContext, input: unknown): Promise<ApiKeyInfo & { key: string }> {
  const { scopes, name, rate } = parseInput(ApiKeyCreateSchema, input, 'API key');
  const id = randomBytes(8).toString('hex');
  const key = `nck_${id}_${randomBytes(32).toString('base64url')}`;
  const row: StoredKey = {
    id,
    name: name ?? null,
    scopes: [...new Set(scopes)],
    rate: rate ?? null,
    hash: sha256(key).toString('hex'),
    createdAt: ctx.now().toISOString(),
    revokedAt: null,
  };
  await ctx.store.transaction(async (tx) => {
    // insertMetaIfAbsent first: two creates on a new ledger both end up in the list.
    await tx.insertMetaIfAbsent(META_KEY, '[]');
    const keys = readKeys(await tx.getMeta(META_KEY));
    await tx.setMeta(META_KEY, JSON.stringify([...keys, row]));
  });
  return { ...info(row), key };
}

export async function listApiKeys(ctx: LedgerContext): Promise<ApiKeyInfo[]> {
  return ctx.store.transaction(async (tx) => readKeys(await tx.getMeta(META_KEY)).map(info));
}

export async function revokeApiKey(ctx: LedgerContext, id: string): Promise<ApiKeyInfo> {
  return ctx.store.transaction(async (tx) => {
    const keys = readKeys(await tx.getMeta(META_KEY));
    const found = keys.find((k) => k.id === id);
    if (!found) throw new InvalidInput(`no API key with id ${JSON.stringify(id.slice(0, 40))}: see n8n-consent keys list`);
    if (!found.revokedAt) {
      found.revokedAt = ctx.now().toISOString();
      await tx.setMeta(META_KEY, JSON.stringify(keys));
    }
    return info(found);
  });
}

/**
 * The key's id and scopes when `key` is a live key; null otherwise (unknown, revoked, malformed).
 * Read on every call, so a revoke takes effect at once, in every process serving the ledger.
 */
export async function verifyApiKey(ctx: LedgerContext, key: string): Promise<{ id: string; scopes: ApiScope[]; rate: number | null } | null> {
  const match = KEY_FORMAT.exec(key);
  const keys = await listStored(ctx);
  const found = match ? keys.find((k) => k.id === match[1]) : undefined;
  const given = sha256(key);
  // Compared in constant time; an unknown id is compared with a hash of nothing, so it costs the same.
  const stored = found ? Buffer.from(found.hash, 'hex') : sha256('');
  const same = stored.length === given.length && timingSafeEqual(stored, given);
  if (!found || !same || found.revokedAt) return null;
  return { id: found.id, scopes: found.scopes, rate: found.rate ?? null };
}

async function listStored(ctx: LedgerContext): Promise<StoredKey[]> {
  return ctx.store.transaction(async (tx) => readKeys(await tx.getMeta(META_KEY)));
}
