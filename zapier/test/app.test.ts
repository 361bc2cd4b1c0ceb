import { createHmac } from 'node:crypto';
import { subscribe } from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppTester } from 'zapier-platform-core';
import { call, cli, startReceiver, startServe, type Service } from '../../test/serve/service';
import { TestClock } from '../../test/support/ledger';
import { waitFor } from '../../test/support/wait';
import App from '../src';

/**
 * The Zapier app through Zapier's own app tester (zapier-platform-core's createAppTester, the
 * runtime Zapier runs the app in), against a real `n8n-consent serve` on 127.0.0.1 with a ledger
 * in a temp folder and keys made by the CLI. What each step did is read back through the API.
 */
const appTester = createAppTester(App);

/** What the Zap user reads: Zapier's app errors carry {message, code, status} as JSON. */
async function refusal(run: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  const error = (await run.then(() => null, (e: Error) => e)) as Error | null;
  if (!error) throw new Error('the step did not fail');
  try {
    return { name: error.name, ...(JSON.parse(error.message) as { message: string; status: number }) };
  } catch {
    return { name: error.name, message: error.message };
  }
}
const dir = mkdtempSync(join(tmpdir(), 'consent-zapier-'));
const store = ['--db', join(dir, 'ledger.sqlite')];
let service: Service;
let env: Record<string, string>;
const keys: Record<string, string> = {};
const auth = (key: string) => ({ serviceUrl: service.url, apiKey: keys[key] });

beforeAll(async () => {
  const clock = new TestClock(new Date('2026-11-23T10:00:00Z'));
  env = { CONSENT_CLOCK_FILE: clock.file };
  expect(cli(store, ['init'], env).code).toBe(0);
  for (const [name, scope] of [['zap', 'request,check,unsubscribe,erase'], ['reader', 'check'], ['requester', 'request'], ['feed', 'events,hooks']]) {
    const made = cli(store, ['keys', 'create', '--scope', scope, '--name', name], env);
    expect(made.code).toBe(0);
    keys[name] = made.lines[0].key as string;
  }
  service = await startServe(store, ['--organisation', 'Voorbeeld BV', '--privacy-url', 'https://example.nl/privacy', '--signups-per-hour', '2', '--hooks-allow-private', '--hooks-poll-ms', '100'], env);
}, 120_000);

// Every connection the app (and this test) opens, by the address it reached: nothing may go past 127.0.0.1.
const reached = new Set<string>();
subscribe('net.client.socket', (message) => {
  const { socket } = message as { socket: Socket };
  socket.once('connect', () => reached.add(String(socket.remoteAddress)));
});

afterAll(async () => {
  if (service) await service.stop();
  rmSync(dir, { recursive: true, force: true });
  expect([...reached]).toEqual(['127.0.0.1']);
});

test('the connection test passes with a valid key (any scope) and labels the connection; a bad key or URL says what is wrong', async () => {
  const ok = await appTester(App.authentication.test, { authData: auth('zap') });
  expect(ok).toEqual({ host: new URL(service.url).host, dialect: 'sqlite' });
  expect(App.authentication.connectionLabel({} as never, { inputData: ok } as never)).toBe(`${new URL(service.url).host} (sqlite)`);
  // A key without the check scope is still a valid key.
  expect(await appTester(App.authentication.test, { authData: auth('requester') })).toMatchObject({ dialect: 'sqlite' });
  expect(await refusal(appTester(App.authentication.test, { authData: { serviceUrl: service.url, apiKey: 'nck_wrong' } }))).toEqual({
    name: 'AppError',
    message: expect.stringMatching(/^The consent service refused the API key: give a valid API key.*Reconnect with a key from "n8n-consent keys create"/),
    code: 'UNAUTHORIZED',
    status: 401,
  });
  await expect(appTester(App.authentication.test, { authData: { serviceUrl: 'consent.example.nl', apiKey: keys.zap } })).rejects.toThrow(/Service URL: "consent\.example\.nl" is not a URL/);
});

test('Request Consent -> the served confirm page -> Check Opt-in and Find Consent say confirmed; Unsubscribe; Erase Contact: each reads or changes the real ledger', async () => {
  const requested = await appTester(App.creates.request_consent.operation.perform, {
    authData: auth('zap'),
    inputData: { email: 'anna@example.nl', name: 'Anna', topics: ['newsletter', 'events'], consentText: 'Yes, send me the newsletter', locale: 'nl', ip: '198.51.100.20' },
  });
  expect(requested).toMatchObject({ outcome: 'requested', email: 'anna@example.nl', confirmUrl: expect.stringContaining('/consent/confirm?token=') });
  // Not consent yet: opted in on the form, unconfirmed until the person clicks.
  expect(await appTester(App.creates.check_opt_in.operation.perform, { authData: auth('reader'), inputData: { email: 'anna@example.nl' } })).toMatchObject({ allowed: false, status: 'optin' });
  const token = (requested as { confirmToken: string }).confirmToken;
  expect((await call(service, 'POST', '/consent/confirm', { body: new URLSearchParams({ token }).toString() })).status).toBe(200);

  const checked = await appTester(App.creates.check_opt_in.operation.perform, { authData: auth('reader'), inputData: { email: 'anna@example.nl', topic: 'events' } });
  expect(checked).toMatchObject({ allowed: true, status: 'confirmed', topic: 'events', channel: 'email' });
  const found = await appTester(App.searches.find_consent.operation.perform, { authData: auth('reader'), inputData: { email: 'ANNA@example.nl ', topic: 'newsletter' } });
  expect(found).toEqual([expect.objectContaining({ id: `${(checked as { subjectId: number }).subjectId}:newsletter:email`, status: 'confirmed', allowed: true })]);
  expect(await appTester(App.searches.find_consent.operation.perform, { authData: auth('reader'), inputData: { email: 'nobody@example.nl' } })).toEqual([]);

  const unsubscribed = await appTester(App.creates.unsubscribe.operation.perform, { authData: auth('zap'), inputData: { email: 'anna@example.nl', topics: 'newsletter' } });
  expect(unsubscribed).toMatchObject({ requestId: expect.stringMatching(/^api-/) });
  const after = await call(service, 'POST', '/v1/check', { key: keys.zap, json: { items: [{ email: 'anna@example.nl', topic: 'newsletter' }, { email: 'anna@example.nl', topic: 'events' }] } });
  expect(after.json.results.map((r: { status: string }) => r.status)).toEqual(['unsubscribed', 'confirmed']);

  const erased = await appTester(App.creates.erase_contact.operation.perform, { authData: auth('zap'), inputData: { email: 'anna@example.nl' } });
  expect(erased).toMatchObject({ outcome: 'erased', receiptId: expect.any(String) });
  // The CLI reads the same ledger: the person is gone, their address suppressed.
  const ledgerSays = cli(store, ['check', 'anna@example.nl', '--topic', 'events'], env).lines[0];
  expect(ledgerSays).toMatchObject({ allowed: false });
  expect(ledgerSays.status).not.toBe('confirmed');
});

test('the service\'s refusals reach the Zap user in words: 403 names the scope to add, 400 the field, 429 is a throttle', async () => {
  expect(await refusal(appTester(App.creates.erase_contact.operation.perform, { authData: auth('reader'), inputData: { email: 'bram@example.nl' } }))).toMatchObject({
    message: 'This API key may not do this: this key\'s scopes (check) do not include erase. Make a key with the "erase" scope (n8n-consent keys create --scope erase) and reconnect.',
    status: 403,
  });
  const bad = await refusal(appTester(App.creates.request_consent.operation.perform, { authData: auth('zap'), inputData: { email: 'not-an-address', consentText: 'Yes' } }));
  expect(bad).toMatchObject({ status: 400, message: expect.stringMatching(/^The consent service did not accept this: .*email/) });
  await expect(appTester(App.creates.check_opt_in.operation.perform, { authData: auth('reader'), inputData: { topic: 'newsletter' } })).rejects.toThrow(
    /Give the person's Email, Phone or External ID/,
  );
  // --signups-per-hour 2: the third signup from one address is limited.
  const signup = (email: string) =>
    appTester(App.creates.request_consent.operation.perform, { authData: auth('zap'), inputData: { email, consentText: 'Yes', ip: '203.0.113.9' } });
  await signup('c1@example.nl');
  await signup('c2@example.nl');
  expect(await refusal(signup('c3@example.nl'))).toMatchObject({ name: 'ThrottledError', message: expect.stringMatching(/^The consent service is limiting calls: too many signups from this address/) });
});

/** A person signs up through the app (each from their own address: --signups-per-hour 2) and clicks the served confirm page: a confirmed event. */
let signups = 0;
async function signupAndConfirm(email: string) {
  const ip = `198.51.100.${++signups + 100}`;
  const requested = (await appTester(App.creates.request_consent.operation.perform, { authData: auth('zap'), inputData: { email, consentText: 'Yes, the newsletter', ip } })) as { confirmToken: string };
  expect((await call(service, 'POST', '/consent/confirm', { body: new URLSearchParams({ token: requested.confirmToken }).toString() })).status).toBe(200);
}

test('REST hook trigger: subscribing through the app makes a hook; a confirmation is delivered signed, passes perform; a forged one does not; unsubscribing removes the hook', async () => {
  const trigger = App.triggers.new_confirmation.operation;
  const receiver = await startReceiver(() => 200);
  try {
    const subscribeData = (await appTester(trigger.performSubscribe, { authData: auth('feed'), targetUrl: receiver.url })) as { id: string; secret: string };
    expect(subscribeData).toMatchObject({ id: expect.stringMatching(/^hook_/), url: receiver.url, types: ['confirmed'], secret: expect.any(String) });
    await signupAndConfirm('dirk@example.nl');
    const delivery = await waitFor(() => receiver.got.find((d) => JSON.parse(d.body).email === 'dirk@example.nl'), {
      what: () => `the confirmation delivered to the hook; got ${JSON.stringify(receiver.got.map((d) => d.body))}`,
    });
    // Zapier hands perform the parsed body and the raw request (its headers prefixed Http-).
    const bundle = (body: string, signature: string) => ({
      authData: auth('feed'),
      subscribeData,
      cleanedRequest: JSON.parse(body),
      rawRequest: { method: 'POST' as const, headers: { 'Http-Consent-Signature': signature, 'Http-Content-Type': 'application/json' }, content: body },
    });
    const signature = String(delivery.headers['consent-signature']);
    const passed = await appTester(trigger.perform, bundle(delivery.body, signature));
    expect(passed).toEqual([expect.objectContaining({ id: expect.any(String), type: 'confirmed', email: 'dirk@example.nl', topics: ['newsletter'] })]);
    const forged = delivery.body.replace('dirk@example.nl', 'eve@example.nl');
    expect(await appTester(trigger.perform, bundle(forged, signature))).toEqual([]);
    expect(await appTester(trigger.perform, bundle(delivery.body, ''))).toEqual([]);
    // Signed right, but an hour old (a replayed delivery): dropped too.
    const t = Number(/t=(\d+)/.exec(signature)![1]) - 3600;
    const stale = `t=${t},v1=${createHmac('sha256', subscribeData.secret).update(`${t}.${delivery.body}`).digest('hex')}`;
    expect(await appTester(trigger.perform, bundle(delivery.body, stale))).toEqual([]);

    await appTester(trigger.performUnsubscribe, { authData: auth('feed'), subscribeData });
    const hooks = await call(service, 'GET', '/v1/hooks', { key: keys.feed });
    expect(hooks.json.hooks.map((h: { id: string }) => h.id)).not.toContain(subscribeData.id);
    // Unsubscribing again: the service says there is no such hook, in words.
    expect(await refusal(appTester(trigger.performUnsubscribe, { authData: auth('feed'), subscribeData }))).toMatchObject({ status: 404, message: expect.stringMatching(/no such hook/) });
  } finally {
    await receiver.close();
  }
});

test('the polling fallback (performList) lists the newest events of its type first, with ids to dedupe on; a key without the events scope is told which to add', async () => {
  await signupAndConfirm('emma@example.nl');
  await signupAndConfirm('finn@example.nl');
  await appTester(App.creates.unsubscribe.operation.perform, { authData: auth('zap'), inputData: { email: 'emma@example.nl' } });
  const confirmations = (await appTester(App.triggers.new_confirmation.operation.performList, { authData: auth('feed') })) as { id: string; type: string; email: string }[];
  expect(confirmations.slice(0, 2).map((e) => e.email)).toEqual(['finn@example.nl', 'emma@example.nl']);
  expect(new Set(confirmations.map((e) => e.type))).toEqual(new Set(['confirmed']));
  expect(new Set(confirmations.map((e) => e.id)).size).toBe(confirmations.length);
  const unsubscribes = (await appTester(App.triggers.new_unsubscribe.operation.performList, { authData: auth('feed') })) as { type: string; email: string }[];
  expect(unsubscribes[0]).toMatchObject({ type: 'unsubscribed', email: 'emma@example.nl', topics: ['newsletter'] });
  // The erasure of the first test: no address in it.
  const erasures = (await appTester(App.triggers.contact_erased.operation.performList, { authData: auth('feed') })) as Record<string, unknown>[];
  expect(erasures).toEqual([expect.objectContaining({ type: 'erased', receiptId: expect.any(String) })]);
  expect(erasures[0]).not.toHaveProperty('email');
  expect(await refusal(appTester(App.triggers.new_bounce.operation.performList, { authData: auth('zap') }))).toMatchObject({
    status: 403,
    message: expect.stringMatching(/Make a key with the "events" scope/),
  });
});
