/**
 * The ten consent statuses (Vicus AVG Consent module), the legal bases and the channels.
 * These names are used everywhere: code, database, output fields, docs.
 */
export const STATUSES = [
  'optin', // the person signed up; the confirmation link is not clicked yet
  'invited', // asked for fresh consent (re-permission campaign); no answer yet
  'reminded', // invited and reminded at least once; no answer yet
  'expired', // did not answer in time; no consent
  'confirmed', // confirmed by the person through a link: explicit, double opt-in consent
  'subscribed', // holds on another record: an import, a phone call, a signed form
  'optout', // said no before ever being subscribed
  'unsubscribed', // withdrew an earlier subscription
  'bounced', // the address does not take mail (hard bounce)
  'blacklisted', // blocked by an operator or by a retention hold on erasure
] as const;
export type Status = (typeof STATUSES)[number];

/** "none": no consent row exists for this subject × topic × channel. */
export type StatusOrNone = Status | 'none';
export const STATUSES_OR_NONE: readonly StatusOrNone[] = ['none', ...STATUSES];

export const BASES = ['consent', 'legitimate_interest', 'contract', 'none'] as const;
export type Basis = (typeof BASES)[number];

/**
 * The legal bases of GDPR Art. 6(1) a purpose is held on (a to f), and 'none': held without a
 * basis that allows using the data for it (SuperOffice's "never mailed": recorded, not contactable).
 * A topic's consent row keeps the narrower BASES; a purpose may rest on any of these.
 */
export const LEGAL_BASES = ['consent', 'contract', 'legal_obligation', 'vital_interest', 'public_task', 'legitimate_interest', 'none'] as const;
export type LegalBasis = (typeof LEGAL_BASES)[number];

/** A purpose's state: held for it (active), or no longer (withdrawn: the person withdrew or objected, or a hold ended). */
export const PURPOSE_STATES = ['active', 'withdrawn'] as const;
export type PurposeState = (typeof PURPOSE_STATES)[number];
/** "none": no purpose row exists for this subject × purpose. */
export type PurposeStateOrNone = PurposeState | 'none';

/**
 * The default purposes (SuperOffice's GDPR upgrade): why the organisation holds a person.
 * sales_and_service — customer relations; emarketing — the mailings (every topic sits under it);
 * retention — kept because the law says so (a retention hold, on legal_obligation).
 * Their names can be changed in the ledger settings (`purposes`); users add their own.
 */
export const DEFAULT_PURPOSES = { salesAndService: 'sales_and_service', emarketing: 'emarketing', retention: 'retention' } as const;

/** A purpose id: lower-case letters, digits and underscores, starting with a letter. */
export const PURPOSE_ID = /^[a-z][a-z0-9_]{0,63}$/;

export const CHANNELS = ['email', 'phone', 'sms', 'post'] as const;
export type Channel = (typeof CHANNELS)[number];

/**
 * What a link is for: confirm a signup or invitation, unsubscribe (and the preferences page),
 * verify an erasure request, see a person's data, confirm a request made on the privacy request form. The token format (core/tokens.ts) spells them; the store keeps them.
 */
export const TOKEN_PURPOSES = ['confirm', 'unsubscribe', 'erase', 'access', 'privacy'] as const;
export type TokenPurpose = (typeof TOKEN_PURPOSES)[number];

/** Statuses in which the person is waiting for our question to be answered. */
export const PENDING: readonly Status[] = ['optin', 'invited', 'reminded'];

/** Statuses under which contact may be allowed at all (the basis decides the rest). */
export const CONTACTABLE: readonly Status[] = ['confirmed', 'subscribed'];

export function isStatus(value: unknown): value is Status {
  return typeof value === 'string' && (STATUSES as readonly string[]).includes(value);
}
