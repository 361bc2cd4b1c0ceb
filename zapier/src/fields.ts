/**
 * Input fields shared by the actions, the search and the triggers: who the person is, as the
 * ledger knows them (an address, a phone number or the CRM's id; at least one).
 */
export const personFields = [
  { key: 'email', label: 'Email', type: 'string' as const, helpText: 'The person\'s email address. Give this, a phone number or an external id.' },
  { key: 'phone', label: 'Phone', type: 'string' as const, helpText: 'The person\'s phone number in international form, e.g. +31612345678 (for SMS consent).' },
  { key: 'externalId', label: 'External ID', type: 'string' as const, helpText: 'Your CRM\'s id for the person, if the ledger knows them by it.' },
];

export const channelField = {
  key: 'channel',
  label: 'Channel',
  choices: { email: 'Email', sms: 'SMS', phone: 'Phone calls', post: 'Post' },
  default: 'email',
  helpText: 'Which channel the consent is for. Consent for email says nothing about SMS.',
};

/** The person of a call: only the fields given, trimmed. */
export function person(input: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of ['email', 'phone', 'externalId']) {
    const value = typeof input[key] === 'string' ? (input[key] as string).trim() : '';
    if (value) out[key] = value;
  }
  if (Object.keys(out).length === 0) throw new Error('Give the person\'s Email, Phone or External ID (at least one).');
  return out;
}

/** A list field as Zapier gives it: an array, or one comma-separated string. */
export function list(value: unknown): string[] {
  const items = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [];
  return items.map((v) => String(v).trim()).filter(Boolean);
}
