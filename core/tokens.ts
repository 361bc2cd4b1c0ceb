import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';
import { TOKEN_PURPOSES, type TokenPurpose } from './consent/statuses';
import { TokenRejected, type TokenProblem } from './errors';

/**
 * Link tokens: `<purpose><version>.<expiry>.<random>.<mac>`
 *   purpose  c = confirm, u = unsubscribe / preferences, e = erase verification, a = access (the
 *            person's data package, GDPR Art. 15: shown, never used up), p = privacy request (the
 *            privacy request form's confirmation link: see, erase or stop all mail; single use)
 *   expiry   seconds since the epoch, base 36
 *   random   16 random bytes (128 bits), base64url
 *   mac      HMAC-SHA256 over the first three parts, truncated to 128 bits, base64url
 * A forged or altered token fails the MAC before any database read. The store keeps only
 * the SHA-256 of the random part, so a copy of the database yields no working link.
 */
export { TOKEN_PURPOSES, type TokenPurpose };

const PURPOSE_LETTER: Record<TokenPurpose, string> = { confirm: 'c', unsubscribe: 'u', erase: 'e', access: 'a', privacy: 'p' };
const LETTER_PURPOSE: Record<string, TokenPurpose> = { c: 'confirm', u: 'unsubscribe', e: 'erase', a: 'access', p: 'privacy' };
// 16 bytes are 22 base64url characters whose last one carries 2 bits: it can only be A, Q, g or w.
// Any other spelling of the same bytes is not a token we issued.
const BYTES_16 = '[A-Za-z0-9_-]{21}[AQgw]';
const shapeOf = (letters: string) => `[${letters}]1\\.[0-9a-z]{1,10}\\.${BYTES_16}\\.${BYTES_16}`;
const TOKEN_SHAPE = new RegExp(`^${shapeOf('cueap')}$`);

/**
 * A token of this purpose inside free text (a mail's subject or body), not part of a longer word:
 * the same shape readToken accepts. Only the shape: readToken still checks MAC and expiry.
 */
const IN_TEXT = Object.fromEntries(
  TOKEN_PURPOSES.map((purpose) => [purpose, new RegExp(`(?<![A-Za-z0-9_.-])${shapeOf(PURPOSE_LETTER[purpose])}(?![A-Za-z0-9_-])`)]),
) as Record<TokenPurpose, RegExp>;

/** The first token of this purpose in the text, or null. */
export function findToken(text: string, purpose: TokenPurpose): string | null {
  return IN_TEXT[purpose].exec(text)?.[0] ?? null;
}

/** Tokens that act only once; an unsubscribe link keeps working (it is idempotent), an access link only shows. */
export const SINGLE_USE: Record<TokenPurpose, boolean> = { confirm: true, unsubscribe: false, erase: true, access: false, privacy: true };

export interface IssuedToken {
  token: string;
  hash: Buffer;
  expiresAt: Date;
}

export interface VerifiedToken {
  purpose: TokenPurpose;
  hash: Buffer;
  expiresAt: Date;
}

/**
 * 128-bit token randomness, cut from a pool refilled 4 KiB at a time: one call into the CSPRNG
 * per 256 tokens instead of one per token (a bulk campaign makes two tokens per person).
 */
const pool = { bytes: Buffer.alloc(0), used: 0 };
export function randomTokenBytes(): Buffer {
  if (pool.used + 16 > pool.bytes.length) {
    pool.bytes = randomBytes(4096);
    pool.used = 0;
  }
  const out = Buffer.from(pool.bytes.subarray(pool.used, pool.used + 16));
  pool.bytes.fill(0, pool.used, pool.used + 16); // what was handed out does not stay behind
  pool.used += 16;
  return out;
}

function mac(key: Buffer, body: string): Buffer {
  return createHmac('sha256', key).update(body).digest().subarray(0, 16);
}

export function tokenHash(random: Buffer): Buffer {
  return hash('sha256', random, 'buffer');
}

export function issueToken(key: Buffer, purpose: TokenPurpose, expiresAt: Date, random: Buffer = randomTokenBytes(), hash?: Buffer): IssuedToken {
  const body = [`${PURPOSE_LETTER[purpose]}1`, Math.floor(expiresAt.getTime() / 1000).toString(36), random.toString('base64url')].join('.');
  // join makes one flat string: a campaign keeps 100k of these, and a concatenation tree costs
  // several times the bytes of the token it spells.
  return { token: [body, mac(key, body).toString('base64url')].join('.'), hash: hash ?? tokenHash(random), expiresAt };
}

/**
 * Checks shape, MAC (against every key: current and previous secret), purpose and expiry,
 * all without the database. Returns the verified token, or the problem as a value: a forged
 * link is an expected event, and a flood of them should cost about one HMAC each, not more.
 */
export function readToken(keys: readonly Buffer[], token: unknown, purpose: TokenPurpose, now: Date): VerifiedToken | TokenProblem {
  // The shape is checked without capture groups and the parts are cut by position.
  const text = typeof token === 'string' ? token.trim() : '';
  if (!TOKEN_SHAPE.test(text)) return 'malformed';
  const lastDot = text.length - 23;
  const body = text.slice(0, lastDot);
  const givenMac = Buffer.from(text.slice(lastDot + 1), 'base64url');
  let matched = false;
  for (const key of keys) {
    // Constant-time compare; every key is tried so timing does not tell which one matched.
    matched = timingSafeEqual(mac(key, body), givenMac) || matched;
  }
  if (!matched) return 'forged';
  if (LETTER_PURPOSE[text[0]] !== purpose) return 'wrong_purpose';
  const randomDot = lastDot - 23;
  const expiresAt = new Date(parseInt(text.slice(3, randomDot), 36) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return 'expired';
  return { purpose, hash: tokenHash(Buffer.from(text.slice(randomDot + 1, lastDot), 'base64url')), expiresAt };
}

/** readToken for callers that go on only with a good token: throws TokenRejected. */
export function verifyToken(keys: readonly Buffer[], token: unknown, purpose: TokenPurpose, now: Date): VerifiedToken {
  const read = readToken(keys, token, purpose, now);
  if (typeof read === 'string') throw TokenRejected.of(read);
  return read;
}
