import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Bundle, ZObject } from 'zapier-platform-core';
import { api } from './client';

/**
 * The triggers: REST hooks on the service's events (POST /v1/hooks on subscribe, DELETE on
 * unsubscribe; each delivery is one event, signed with the hook's secret), and, for samples and
 * as the polling fallback, the newest events from GET /v1/events (newest first; Zapier dedupes by id).
 */

type EventType = 'confirmed' | 'unsubscribed' | 'erased' | 'bounced';

const SAMPLE_BASE = { id: 'ev_01example', occurredAt: '2026-11-23T10:05:00.000Z', subjectId: 42, topics: ['newsletter'], channel: 'email', source: 'webform' };
const SAMPLES: Record<EventType, Record<string, unknown>> = {
  confirmed: { ...SAMPLE_BASE, type: 'confirmed', email: 'anna@example.nl' },
  unsubscribed: { ...SAMPLE_BASE, type: 'unsubscribed', email: 'anna@example.nl', source: 'link' },
  erased: { ...SAMPLE_BASE, type: 'erased', source: 'api', receiptId: 'er_01example', externalIds: [], topics: [] },
  bounced: { ...SAMPLE_BASE, type: 'bounced', email: 'anna@example.nl', source: 'mail' },
};

/** How far a delivery's signing time may be from now (serve signs each attempt anew): a replayed old delivery is dropped. */
const SIGNATURE_TOLERANCE_S = 300;

/**
 * The delivery's Consent-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>, compared
 * in constant time, t within the tolerance of the machine's clock (transport freshness, not a
 * business date: serve signs with its real clock too).
 */
export function signatureValid(secret: string, header: string, body: string, nowS = Math.floor(Date.now() / 1000)): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=', 2) as [string, string]));
  if (!/^\d+$/.test(parts.t ?? '') || !/^[0-9a-f]{64}$/i.test(parts.v1 ?? '')) return false;
  if (Math.abs(nowS - Number(parts.t)) > SIGNATURE_TOLERANCE_S) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}

/** A header of Zapier's raw request, whatever its spelling (Zapier prefixes them with Http-). */
function header(headers: Record<string, unknown> | undefined, name: string): string {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase().replace(/^http-/, '') === name) return String(value);
  }
  return '';
}

function eventTrigger(key: string, type: EventType, noun: string, label: string, description: string) {
  return {
    key,
    noun,
    display: { label, description },
    operation: {
      type: 'hook' as const,
      performSubscribe: async (z: ZObject, bundle: Bundle) => api(z, bundle, 'POST', '/v1/hooks', { json: { url: bundle.targetUrl, types: [type] } }),
      performUnsubscribe: async (z: ZObject, bundle: Bundle) => {
        const id = String((bundle.subscribeData as { id?: unknown } | undefined)?.id ?? '');
        return api(z, bundle, 'DELETE', `/v1/hooks/${encodeURIComponent(id)}`);
      },
      // A delivery: kept only if signed with this hook's secret (anyone could post to the hook's URL).
      perform: async (z: ZObject, bundle: Bundle) => {
        const secret = String((bundle.subscribeData as { secret?: unknown } | undefined)?.secret ?? '');
        const raw = bundle.rawRequest as { headers?: Record<string, unknown>; content?: string } | undefined;
        if (!secret || !raw?.content || !signatureValid(secret, header(raw.headers, 'consent-signature'), raw.content)) {
          z.console.log('consent service delivery dropped: missing, wrong or stale Consent-Signature');
          return [];
        }
        const event = bundle.cleanedRequest as { type?: string } | undefined;
        return event && event.type === type ? [event] : [];
      },
      performList: async (z: ZObject, bundle: Bundle) => {
        const answer = await api<{ events: Record<string, unknown>[] }>(z, bundle, 'GET', '/v1/events', { params: { types: type, order: 'desc', limit: '50' } });
        return answer.events;
      },
      sample: SAMPLES[type],
      outputFields: [
        { key: 'id', label: 'Event ID' },
        { key: 'type', label: 'Type' },
        { key: 'occurredAt', label: 'Occurred At', type: 'datetime' },
        { key: 'subjectId', label: 'Subject ID', type: 'integer' },
        ...(type === 'erased'
          ? [{ key: 'receiptId', label: 'Receipt ID' }, { key: 'externalIds[]', label: 'External IDs' }]
          : [{ key: 'email', label: 'Email' }]),
        { key: 'topics[]', label: 'Topics' },
        { key: 'channel', label: 'Channel' },
      ],
    },
  };
}

export const triggers = Object.fromEntries(
  [
    eventTrigger('new_confirmation', 'confirmed', 'Confirmation', 'New Confirmation', 'Fires when a person confirms their consent (clicked the confirm link).'),
    eventTrigger('new_unsubscribe', 'unsubscribed', 'Unsubscribe', 'New Unsubscribe', 'Fires when a person unsubscribes (link, one-click, preferences page, mail or API).'),
    eventTrigger('contact_erased', 'erased', 'Erasure', 'Contact Erased', 'Fires when a person is erased: remove them from your other tools by Subject ID (the Erase Contact action answers with the external ids). Carries no address.'),
    eventTrigger('new_bounce', 'bounced', 'Bounce', 'New Bounce', 'Fires when mail to a person bounced and the ledger stopped mailing them.'),
  ].map((t) => [t.key, t]),
);
