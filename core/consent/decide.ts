import type { Basis, Channel, LegalBasis, PurposeStateOrNone, StatusOrNone } from './statuses';

/**
 * Check: may I contact this subject on this channel for this topic now?
 * standard — confirmed or subscribed on a basis (consent, legitimate interest, contract) counts.
 * strict   — only explicit consent counts: confirmed, or subscribed with basis consent
 *            (an imported or manually recorded consent that carries its evidence).
 */
export type ChannelPolicy = 'standard' | 'strict';

/** Dutch Telecommunicatiewet: telemarketing needs opt-in since 1 July 2021; SMS needs consent. */
export const DEFAULT_CHANNEL_POLICY: Record<Channel, ChannelPolicy> = {
  email: 'standard',
  phone: 'strict',
  sms: 'strict',
  post: 'standard',
};

export type DecisionReason =
  | 'consent'
  | 'legitimate_interest'
  | 'contract'
  | 'strict_requires_consent'
  | 'no_consent'
  | 'no_basis'
  | 'pending'
  | 'expired'
  | 'optout'
  | 'unsubscribed'
  | 'bounced'
  | 'blacklisted'
  | 'suppressed'
  | 'unknown'
  | 'purpose_withdrawn' // the topic's purpose (e-marketing) was withdrawn: every topic under it is off
  | 'no_purpose_basis'; // the topic's purpose is not held on a basis that allows direct marketing

export interface Decision {
  allowed: boolean;
  reason: DecisionReason;
  policy: ChannelPolicy;
}

export interface DecisionInput {
  known: boolean; // the subject is in the ledger
  suppressed: boolean; // erased or blocked: a suppression entry matches
  status: StatusOrNone;
  basis: Basis;
  channel: Channel;
}

export function decide(input: DecisionInput, strict: boolean, policies: Record<Channel, ChannelPolicy>): Decision {
  const policy: ChannelPolicy = strict ? 'strict' : policies[input.channel];
  const deny = (reason: DecisionReason): Decision => ({ allowed: false, reason, policy });
  if (input.suppressed) return deny('suppressed');
  if (!input.known) return deny('unknown');
  switch (input.status) {
    case 'none':
      return deny('no_consent');
    case 'optin':
    case 'invited':
    case 'reminded':
      return deny('pending');
    case 'expired':
    case 'optout':
    case 'unsubscribed':
    case 'bounced':
    case 'blacklisted':
      return deny(input.status);
    case 'confirmed':
    case 'subscribed':
      if (input.basis === 'none') return deny('no_basis');
      if (policy === 'strict' && input.basis !== 'consent') return deny('strict_requires_consent');
      return { allowed: true, reason: input.basis, policy };
  }
}

/** The bases on which a purpose allows direct marketing (standard); strict: consent only. */
export const MARKETING_BASES: readonly LegalBasis[] = ['consent', 'contract', 'legitimate_interest'];

/**
 * A topic sits under a purpose (e-marketing): what the topic allows, its purpose must allow too,
 * active on a basis that allows direct marketing (strict: consent). A topic's denial stands as is.
 */
export function decideWithPurpose(decision: Decision, purpose: { state: PurposeStateOrNone; basis: LegalBasis }): Decision {
  if (!decision.allowed) return decision;
  const deny = (reason: DecisionReason): Decision => ({ allowed: false, reason, policy: decision.policy });
  if (purpose.state === 'withdrawn') return deny('purpose_withdrawn');
  if (purpose.state === 'none' || !MARKETING_BASES.includes(purpose.basis)) return deny('no_purpose_basis');
  if (decision.policy === 'strict' && purpose.basis !== 'consent') return deny('strict_requires_consent');
  return decision;
}
