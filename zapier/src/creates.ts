import type { Bundle, ZObject } from 'zapier-platform-core';
import { api } from './client';
import { channelField, list, person, personFields } from './fields';

/** The four actions: each one call to the service, its answer as the step's output. */

const requestConsent = {
  key: 'request_consent',
  noun: 'Consent Request',
  display: {
    label: 'Request Consent',
    description: 'Asks a person for consent (double opt-in): returns the confirm link to mail them. Nothing counts as consent until they click it.',
  },
  operation: {
    inputFields: [
      ...personFields,
      { key: 'name', label: 'Name', type: 'string', helpText: 'The person\'s name, for the mails you send.' },
      { key: 'topics', label: 'Topics', type: 'string', list: true, default: 'newsletter', helpText: 'What the person is asked to receive, e.g. newsletter. Lower-case words; one per line.' },
      channelField,
      { key: 'consentText', label: 'Consent Text', type: 'text', required: true, helpText: 'The exact words the person agreed to on your form (kept as evidence), e.g. "Yes, send me the monthly newsletter".' },
      {
        key: 'mode',
        label: 'Mode',
        choices: { signup: 'Signup (the person filled in a form)', campaign: 'Campaign (asking people you already have)' },
        default: 'signup',
        helpText: 'Signup: a person asked on a form. Campaign: a re-permission mailing to known contacts.',
      },
      { key: 'locale', label: 'Language', choices: { nl: 'Dutch', en: 'English', de: 'German', fr: 'French', es: 'Spanish', it: 'Italian' }, helpText: 'The person\'s language, for the link pages.' },
      { key: 'ip', label: 'Person\'s IP Address', type: 'string', helpText: 'The IP address the form was sent from (evidence, and the per-address signup limit). Leave empty if you do not have it.' },
    ],
    perform: async (z: ZObject, bundle: Bundle) => {
      const input = bundle.inputData as Record<string, unknown>;
      const topics = list(input.topics);
      const item: Record<string, unknown> = {
        ...person(input),
        consentText: input.consentText,
        channel: input.channel || 'email',
        ...(topics.length ? { topics } : {}),
        ...(input.name ? { name: input.name } : {}),
        ...(input.locale ? { locale: input.locale } : {}),
      };
      if (input.ip) item.evidence = { actor: { kind: 'person' }, source: { kind: 'webform', ref: 'zapier' }, ip: String(input.ip).trim() };
      const answer = await api<{ results: Record<string, unknown>[] }>(z, bundle, 'POST', '/v1/request', { json: { mode: input.mode || 'signup', items: [item] } });
      return answer.results[0];
    },
    sample: {
      index: 0, outcome: 'requested', reason: null, subjectId: 42, email: 'anna@example.nl', phone: null, name: 'Anna', locale: 'nl', channel: 'email',
      topics: [{ topic: 'newsletter', from: 'none', status: 'pending', outcome: 'changed', reason: null }],
      confirmToken: 'c1.example', unsubscribeToken: 'u1.example', expiresAt: '2026-12-07T10:00:00.000Z',
      confirmUrl: 'https://consent.example.nl/consent/confirm?token=c1.example',
      unsubscribeUrl: 'https://consent.example.nl/consent/unsubscribe?token=u1.example',
      preferencesUrl: 'https://consent.example.nl/consent/preferences?token=u1.example',
    },
    outputFields: [
      { key: 'outcome', label: 'Outcome (requested, throttled, skipped)' },
      { key: 'confirmUrl', label: 'Confirm Link (mail it to the person)' },
      { key: 'unsubscribeUrl', label: 'Unsubscribe Link' },
      { key: 'preferencesUrl', label: 'Preferences Link' },
      { key: 'subjectId', label: 'Subject ID', type: 'integer' },
    ],
  },
};

export const checkFields = [
  ...personFields,
  { key: 'topic', label: 'Topic', type: 'string', default: 'newsletter', helpText: 'The topic to check, e.g. newsletter.' },
  channelField,
  { key: 'strict', label: 'Explicit Consent Only', type: 'boolean', helpText: 'Yes: only a confirmed opt-in counts (no legitimate interest). Empty: the ledger\'s own setting.' },
];

export async function check(z: ZObject, bundle: Bundle) {
  const input = bundle.inputData as Record<string, unknown>;
  const strict = input.strict === true || input.strict === 'true' || input.strict === 'yes';
  return api(z, bundle, 'POST', '/v1/check', {
    json: { ...person(input), topic: input.topic || 'newsletter', channel: input.channel || 'email', ...(strict ? { strict: true } : {}) },
  });
}

export const CHECK_SAMPLE = {
  index: 0, allowed: true, reason: 'consent', policy: 'opt_in', subjectId: 42, topic: 'newsletter', channel: 'email', status: 'confirmed', basis: 'consent',
  since: '2026-11-23T10:05:00.000Z', optin_who: 'person', optin_source: 'webform', optin_date: '2026-11-23T10:05:00.000Z', optin_id: null, optin_description: null,
};

const checkOptIn = {
  key: 'check_opt_in',
  noun: 'Opt-in',
  display: {
    label: 'Check Opt-in',
    description: 'May we contact this person? Answers allowed yes/no with the reason; use a Filter or Paths step on "Allowed" before you send.',
  },
  operation: { inputFields: checkFields, perform: check, sample: CHECK_SAMPLE, outputFields: [{ key: 'allowed', label: 'Allowed', type: 'boolean' }, { key: 'reason', label: 'Reason' }, { key: 'status', label: 'Status' }] },
};

const unsubscribe = {
  key: 'unsubscribe',
  noun: 'Unsubscribe',
  display: { label: 'Unsubscribe', description: 'Records that a person no longer wants mail on some topics, or on all (e.g. from your CRM or help desk).' },
  operation: {
    inputFields: [
      ...personFields,
      { key: 'topics', label: 'Topics', type: 'string', list: true, helpText: 'The topics to unsubscribe from. Leave empty for all topics.' },
      channelField,
    ],
    perform: async (z: ZObject, bundle: Bundle) => {
      const input = bundle.inputData as Record<string, unknown>;
      const topics = list(input.topics);
      return api(z, bundle, 'POST', '/v1/unsubscribe', { json: { ...person(input), topics: topics.length ? topics : 'all', channel: input.channel || 'email' } });
    },
    sample: { outcome: 'unsubscribed', subjectId: 42, channel: 'email', topics: [{ topic: 'newsletter', from: 'confirmed', status: 'unsubscribed', outcome: 'changed', reason: null }], requestId: 7 },
  },
};

const eraseContact = {
  key: 'erase_contact',
  noun: 'Erasure',
  display: {
    label: 'Erase Contact',
    description: 'Erases a person (GDPR Art. 17): their data goes, a receipt and a suppression stay so they are not mailed again. A retention hold defers it ("suppressed").',
  },
  operation: {
    inputFields: [
      ...personFields,
      { key: 'reason', label: 'Reason', type: 'text', helpText: 'Why (kept only when a retention hold defers the erasure). Optional.' },
    ],
    perform: async (z: ZObject, bundle: Bundle) => {
      const input = bundle.inputData as Record<string, unknown>;
      return api(z, bundle, 'POST', '/v1/erase', { json: { ...person(input), ...(input.reason ? { reason: input.reason } : {}) } });
    },
    sample: { outcome: 'erased', receiptId: 'er_01example', subjectId: 42, externalIds: ['crm-1001'], holdReason: null, holdUntil: null, requestId: 8 },
    outputFields: [
      { key: 'outcome', label: 'Outcome (erased, suppressed, not_found)' },
      { key: 'receiptId', label: 'Receipt ID' },
      { key: 'externalIds[]', label: 'External IDs (delete these in your CRM)' },
    ],
  },
};

export const creates = { [requestConsent.key]: requestConsent, [checkOptIn.key]: checkOptIn, [unsubscribe.key]: unsubscribe, [eraseContact.key]: eraseContact };
