import { randomBytes } from 'node:crypto';
import { findToken, issueToken, verifyToken } from '../../core/tokens';
import { Ledger, RequestItemSchema } from '../../core/ledger';
import { parseInput } from '../../core/validation';
import { SECRET, tempLedger } from '../support/ledger';

const key = randomBytes(32);
const other = randomBytes(32);
const now = new Date('2026-11-23T10:00:00Z');
const later = new Date('2026-12-23T10:00:00Z');

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('token format', () => {
  const { token, hash } = issueToken(key, 'confirm', later);

  test('carries 128 random bits and a MAC; the store gets only a hash', () => {
    expect(token).toMatch(/^c1\.[0-9a-z]+\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{22}$/);
    expect(hash).toHaveLength(32);
    expect(token).not.toContain(hash.toString('base64url'));
    expect(verifyToken([key], token, 'confirm', now).hash.equals(hash)).toBe(true);
  });

  const tampered: [string, string][] = [
    ['one character of the random part', token.replace(/\.([A-Za-z0-9_-])([A-Za-z0-9_-]{21})\./, (_, c: string, r: string) => `.${c === 'A' ? 'B' : 'A'}${r}.`)],
    ['the expiry pushed later', token.replace(/^c1\.[0-9a-z]+/, `c1.${(Math.floor(later.getTime() / 1000) + 86400 * 365).toString(36)}`)],
    ['the purpose letter', token.replace(/^c/, 'u')],
    ['the middle of the MAC', token.slice(0, -11) + (token.at(-11) === 'A' ? 'B' : 'A') + token.slice(-10)],
  ];
  test.each(tampered)('a token with %s is rejected as forged', (_, bad) => {
    expect(() => verifyToken([key], bad, bad.startsWith('u') ? 'unsubscribe' : 'confirm', now)).toThrow(expect.objectContaining({ problem: 'forged' }));
  });

  // The last of 22 base64url characters carries 4 unused bits: another spelling is not our token.
  const respelled = token.slice(0, -1) + B64URL[B64URL.indexOf(token.at(-1)!) ^ 1];
  test.each([[''], ['abc'], [`${token}x`], [null], [42], [respelled]])('malformed %p is rejected', (bad) => {
    expect(() => verifyToken([key], bad, 'confirm', now)).toThrow(expect.objectContaining({ problem: 'malformed' }));
  });

  test('a token made with another key is forged; with the previous key (rotation) it verifies', () => {
    expect(() => verifyToken([other], token, 'confirm', now)).toThrow(expect.objectContaining({ problem: 'forged' }));
    expect(verifyToken([other, key], token, 'confirm', now).purpose).toBe('confirm');
  });

  test('purpose-bound and expiring', () => {
    expect(() => verifyToken([key], token, 'unsubscribe', now)).toThrow(expect.objectContaining({ problem: 'wrong_purpose' }));
    expect(() => verifyToken([key], token, 'confirm', later)).toThrow(expect.objectContaining({ problem: 'expired' }));
  });
});

describe('findToken: a token in a mail\'s text has the shape readToken accepts', () => {
  const { token: unsubscribe } = issueToken(key, 'unsubscribe', later);
  test('found in a sentence and in a URL, only for its own purpose', () => {
    expect(findToken(`afmelden ${unsubscribe} graag`, 'unsubscribe')).toBe(unsubscribe);
    expect(findToken(`https://shop.example/unsubscribe?token=${unsubscribe}&x=1`, 'unsubscribe')).toBe(unsubscribe);
    expect(findToken(`afmelden ${unsubscribe}`, 'confirm')).toBeNull();
  });
  test('not inside a longer word, and not in a spelling we never issue', () => {
    expect(findToken(`x${unsubscribe}`, 'unsubscribe')).toBeNull();
    expect(findToken(`${unsubscribe}x`, 'unsubscribe')).toBeNull();
    const respelled = unsubscribe.slice(0, -1) + B64URL[B64URL.indexOf(unsubscribe.at(-1)!) ^ 1];
    expect(findToken(`afmelden ${respelled}`, 'unsubscribe')).toBeNull();
  });
});

describe('tokens in the ledger', () => {
  test('a forged token is rejected before any database read', async () => {
    const t = await tempLedger();
    const r = (await t.ledger.request([parseInput(RequestItemSchema, { email: 'a@example.com', consentText: 'yes' })], 'signup'))[0];
    const forged = r.confirmToken!.slice(0, -11) + (r.confirmToken!.at(-11) === 'A' ? 'B' : 'A') + r.confirmToken!.slice(-10);
    let reads = 0;
    const original = t.ledger.store.transaction.bind(t.ledger.store);
    t.ledger.store.transaction = ((fn: never) => {
      reads++;
      return original(fn);
    }) as typeof original;
    await expect(t.ledger.confirm(forged, {})).rejects.toMatchObject({ problem: 'forged' });
    await expect(t.ledger.viewToken(forged, 'confirm')).rejects.toMatchObject({ problem: 'forged' });
    expect(t.ledger.checkLink(forged, 'confirm')).toBe('forged');
    expect(t.ledger.checkLink(r.confirmToken, 'unsubscribe')).toBe('wrong_purpose');
    expect(t.ledger.checkLink(r.confirmToken, 'confirm')).toBeNull();
    expect(reads).toBe(0);
    await t.dispose();
  });

  test('an expired link is refused; rotation keeps old links working; a wrong secret cannot open the ledger', async () => {
    const t = await tempLedger({ confirmDays: 3 });
    const r = (await t.ledger.request([parseInput(RequestItemSchema, { email: 'b@example.com', consentText: 'yes' })], 'signup'))[0];
    const erased = await t.ledger.erase({ email: 'gone@example.com' });
    expect(erased.outcome).toBe('not_found');

    const NEW = 'a-brand-new-secret-after-rotation-0123456789';
    const rotated = await t.reopen({ secret: NEW, previousSecret: SECRET });
    expect((await rotated.viewToken(r.confirmToken, 'confirm')).topics).toEqual(['newsletter']);
    // The suppression key was re-wrapped with the new secret: the old one can now be dropped...
    await rotated.verifySecret();
    await rotated.close();
    const onlyNew = await t.reopen({ secret: NEW, previousSecret: undefined });
    const [check] = await onlyNew.check([{ email: 'gone@example.com', topic: 'newsletter', channel: 'email' }]);
    expect(check.reason).toBe('suppressed'); // ...and no suppression was lost.
    await expect(onlyNew.confirm(r.confirmToken, {})).rejects.toMatchObject({ problem: 'forged' });
    await onlyNew.close();

    const wrong = await t.reopen({ secret: 'a-completely-different-secret-0123456789', previousSecret: undefined });
    await expect(wrong.verifySecret()).rejects.toMatchObject({ code: 'SECRET_MISMATCH' });
    await wrong.close();

    t.clock.advanceDays(4);
    await expect(t.ledger.confirm(r.confirmToken, {})).rejects.toMatchObject({ problem: 'expired' });
    await t.dispose();
  });

  test('several rotations: a link and the suppression key from two secrets ago still work under the third', async () => {
    const t = await tempLedger();
    const r = (await t.ledger.request([parseInput(RequestItemSchema, { email: 'c@example.com', consentText: 'yes' })], 'signup'))[0];
    await t.ledger.erase({ email: 'gone@example.com' });
    const B = 'the-second-secret-of-this-ledger-0123456789';
    const C = 'the-third-secret-of-this-ledger-01234567890';
    // Never opened under B: the key is still wrapped with the first secret, the last of the list.
    const third = await t.reopen({ secret: C, previousSecrets: [B, SECRET] });
    expect((await third.confirm(r.confirmToken, {})).outcome).toBe('confirmed');
    expect((await third.check([{ email: 'gone@example.com', topic: 'newsletter', channel: 'email' }]))[0].reason).toBe('suppressed');
    await third.close();
    // Re-wrapped with C: C alone opens the ledger and refuses the first secret's links.
    const onlyC = await t.reopen({ secret: C });
    await expect(onlyC.verifySecret()).resolves.toEqual({ isNewLedger: false });
    await expect(onlyC.viewToken(r.unsubscribeToken, 'unsubscribe')).rejects.toMatchObject({ problem: 'forged' });
    await onlyC.close();
    expect(() => new Ledger(t.ledger.store, { secret: C, previousSecrets: Array.from({ length: 11 }, (_, i) => `${B}-${i}`) })).toThrow('previousSecrets: at most 10 previous secrets');
    await t.dispose();
  });
});
