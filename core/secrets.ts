import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { z } from 'zod/v4';
import { SecretMismatch } from './errors';

/**
 * The ledger's secrets. One configured secret (plus the previous ones while rotating) yields:
 *  - the token key(s): HMAC of link tokens; tokens made with a previous secret still verify;
 *  - the key-encryption key that unwraps the suppression key. The suppression key itself is random,
 *    made once per ledger and stored only wrapped, so rotating the secret never loses a suppression.
 * Unsubscribe links live two years, so a ledger may rotate several times while old links are out:
 * any number of previous secrets (up to MAX_PREVIOUS_SECRETS) can be given, newest first.
 */
export const SecretSchema = z
  .string()
  .min(32, 'must be at least 32 characters; make one with: openssl rand -base64 32');

export interface SecretsInput {
  secret: string;
  previousSecret?: string;
  /** Older secrets still accepted, newest first (after `previousSecret`, when both are given). */
  previousSecrets?: readonly string[];
}

/** Every previous secret costs one more HMAC per forged link: a bound keeps a flood cheap. */
export const MAX_PREVIOUS_SECRETS = 10;

/** The current secret first, then each previous one once: every key the ledger accepts. */
export function secretsOf(input: SecretsInput): string[] {
  return [...new Set([input.secret, ...(input.previousSecret ? [input.previousSecret] : []), ...(input.previousSecrets ?? [])])];
}

/** A key of its own per purpose, from the configured secret (HKDF-SHA256). */
export function derive(secret: string, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'n8n-nodes-consent', purpose, 32));
}

export class LedgerKeys {
  /** Current first. */
  readonly tokenKeys: Buffer[];
  private readonly keks: Buffer[];

  constructor(input: SecretsInput) {
    const secrets = secretsOf(input);
    this.tokenKeys = secrets.map((s) => derive(s, 'token v1'));
    this.keks = secrets.map((s) => derive(s, 'suppression kek v1'));
  }

  /** A new suppression key, wrapped with the current secret (AES-256-GCM: iv | tag | ciphertext). */
  newWrappedSuppressionKey(): { key: Buffer; wrapped: string } {
    const key = randomBytes(32);
    return { key, wrapped: this.wrap(key) };
  }

  wrap(key: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.keks[0], iv);
    const body = Buffer.concat([cipher.update(key), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /**
   * Unwraps the stored suppression key. `rewrapped` is set when only a previous secret could
   * read it (however many rotations ago): the caller stores it wrapped with the current secret,
   * so the previous secrets can be dropped once the links made under them have expired.
   */
  unwrap(wrapped: string): { key: Buffer; rewrapped?: string } {
    const raw = Buffer.from(wrapped, 'base64');
    for (let i = 0; i < this.keks.length; i++) {
      try {
        const decipher = createDecipheriv('aes-256-gcm', this.keks[i], raw.subarray(0, 12));
        decipher.setAuthTag(raw.subarray(12, 28));
        const key = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
        return i === 0 ? { key } : { key, rewrapped: this.wrap(key) };
      } catch {
        // try the next secret
      }
    }
    throw new SecretMismatch(
      'This ledger was created with another secret. Set the secret it was created with, or give it as a previous secret while rotating to a new one.',
    );
  }
}
