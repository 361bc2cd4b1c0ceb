import { STATUSES, type Basis, type LegalBasis, type PurposeState, type PurposeStateOrNone, type Status, type StatusOrNone } from './statuses';

/**
 * The transition table: every status change in the ledger goes through `resolveTransition`.
 * It is data. A cell says, for an action taken from a status, one of:
 *   to      — the new status ('target' = the status an import or operator asked for)
 *   keep    — nothing to change; not an error (a repeated click, an idempotent request)
 *   refuse  — not allowed, with the reason shown to the caller
 * and optionally:
 *   targets   — with to:'target', the targets this cell accepts; `otherwise` applies to the rest
 *   proofFor  — the targets (or 'all') for which the operator must give proof
 *   byBasis   — a different cell when the current basis is this one
 */
export type Action =
  | 'signup' // the person's own request (webform, preferences page)
  | 'request' // a bulk re-permission request sent by us (campaign)
  | 'remind' // a reminder of a pending invitation
  | 'expire' // an invitation or signup not confirmed in time
  | 'confirm' // the person confirmed through a link (POST)
  | 'unsubscribe' // the person withdrew or declined
  | 'bounce' // a hard bounce report for the address
  | 'import' // an operator's import of an existing contact with its status
  | 'set' // a manual status change by an operator
  | 'suppress'; // erasure blocked by a retention hold: block instead

export const ACTIONS: readonly Action[] = [
  'signup', 'request', 'remind', 'expire', 'confirm', 'unsubscribe', 'bounce', 'import', 'set', 'suppress',
];

export interface Rule {
  to?: Status | 'target';
  keep?: string;
  refuse?: string;
  targets?: readonly Status[];
  otherwise?: Rule;
  proofFor?: readonly Status[] | 'all';
  byBasis?: Partial<Record<Basis, Rule>>;
}

/** Which basis the consent holds after the action. 'given' = the one the caller supplied. */
export const BASIS_AFTER: Record<Action, Basis | 'keep' | 'given'> = {
  signup: 'keep',
  request: 'keep',
  remind: 'keep',
  expire: 'none',
  confirm: 'consent',
  unsubscribe: 'none',
  bounce: 'keep',
  import: 'given',
  set: 'given',
  suppress: 'none',
};

const RESTRICTIVE: readonly Status[] = ['optout', 'unsubscribed', 'bounced', 'blacklisted'];
const IMPORTABLE: readonly Status[] = ['subscribed', 'confirmed', ...RESTRICTIVE];
const BLACKLISTED_ONLY_OPERATOR = { refuse: 'blacklisted; only an operator with proof can lift that' };
const NOT_PENDING = { refuse: 'there is no pending invitation' };
const ALREADY_IN_LEDGER = { keep: 'already in the ledger' };
/** Import over an existing status: kept, unless the import is more restrictive (a CRM's "no mailings"). */
const IMPORT_ONLY_RESTRICTS: Rule = { to: 'target', targets: RESTRICTIVE, otherwise: ALREADY_IN_LEDGER };
/** A manual change: any status, with proof for one that allows mailing. */
const SET_WITH_PROOF_TO_MAIL: Rule = { to: 'target', proofFor: ['subscribed', 'confirmed'] };

export const TRANSITIONS: Record<Action, Record<StatusOrNone, Rule>> = {
  signup: {
    none: { to: 'optin' },
    optin: { to: 'optin' },
    invited: { to: 'optin' },
    reminded: { to: 'optin' },
    expired: { to: 'optin' },
    confirmed: { keep: 'already confirmed' },
    // Keeps mailing on the current basis while the person confirms to explicit consent.
    subscribed: { to: 'subscribed', byBasis: { consent: { keep: 'already subscribed with consent' } } },
    optout: { to: 'optin' }, // only the person's own signup re-opens a refusal...
    unsubscribed: { to: 'optin' }, // ...or a withdrawal
    bounced: { to: 'optin' },
    blacklisted: BLACKLISTED_ONLY_OPERATOR,
  },
  request: {
    none: { to: 'invited' },
    optin: { refuse: 'a signup confirmation is pending' },
    invited: { refuse: 'already invited' },
    reminded: { refuse: 'already invited' },
    expired: { refuse: 'did not answer an earlier invitation' },
    confirmed: { refuse: 'already confirmed' },
    subscribed: { to: 'invited', byBasis: { consent: { refuse: 'already subscribed with consent' } } },
    optout: { refuse: 'declined earlier; only their own signup re-opens that' },
    unsubscribed: { refuse: 'unsubscribed; only their own signup re-opens that' },
    bounced: { refuse: 'the address bounced' },
    blacklisted: { refuse: 'blacklisted' },
  },
  remind: {
    none: NOT_PENDING,
    optin: NOT_PENDING, // a signup is the person's own act: no reminders for it
    invited: { to: 'reminded' },
    reminded: { to: 'reminded' },
    expired: NOT_PENDING,
    confirmed: NOT_PENDING,
    subscribed: NOT_PENDING,
    optout: NOT_PENDING,
    unsubscribed: NOT_PENDING,
    bounced: NOT_PENDING,
    blacklisted: NOT_PENDING,
  },
  expire: {
    none: NOT_PENDING,
    optin: { to: 'expired' },
    invited: { to: 'expired' },
    reminded: { to: 'expired' },
    expired: { keep: 'already expired' },
    confirmed: NOT_PENDING,
    subscribed: NOT_PENDING,
    optout: NOT_PENDING,
    unsubscribed: NOT_PENDING,
    bounced: NOT_PENDING,
    blacklisted: NOT_PENDING,
  },
  confirm: {
    none: { refuse: 'there is nothing to confirm' },
    optin: { to: 'confirmed' },
    invited: { to: 'confirmed' },
    reminded: { to: 'confirmed' },
    expired: { to: 'confirmed' }, // the link is still valid and the person says yes: that counts
    confirmed: { keep: 'already confirmed' },
    subscribed: { to: 'confirmed' },
    optout: { refuse: 'declined after this link was sent; a new signup is needed' },
    unsubscribed: { refuse: 'unsubscribed after this link was sent; a new signup is needed' },
    bounced: { to: 'confirmed' }, // the person read our mail: the address works again
    blacklisted: BLACKLISTED_ONLY_OPERATOR,
  },
  unsubscribe: {
    none: { to: 'optout' }, // remembered, so no campaign asks again
    optin: { to: 'optout' },
    invited: { to: 'optout' },
    reminded: { to: 'optout' },
    expired: { to: 'optout' },
    confirmed: { to: 'unsubscribed' },
    subscribed: { to: 'unsubscribed' },
    optout: { keep: 'already declined' },
    unsubscribed: { keep: 'already unsubscribed' },
    bounced: { to: 'unsubscribed' },
    blacklisted: { keep: 'already blocked' },
  },
  bounce: {
    none: { refuse: 'there is no consent to mark' },
    optin: { to: 'bounced' },
    invited: { to: 'bounced' },
    reminded: { to: 'bounced' },
    expired: { to: 'bounced' },
    confirmed: { to: 'bounced' },
    subscribed: { to: 'bounced' },
    optout: { keep: 'not mailed anyway' },
    unsubscribed: { keep: 'not mailed anyway' },
    bounced: { keep: 'already bounced' },
    blacklisted: { keep: 'not mailed anyway' },
  },
  import: {
    none: { to: 'target', targets: IMPORTABLE, otherwise: { refuse: `an import may set only ${IMPORTABLE.join(', ')}` } },
    // An existing status is kept, unless the import is more restrictive (a CRM's "no mailings").
    optin: IMPORT_ONLY_RESTRICTS,
    invited: IMPORT_ONLY_RESTRICTS,
    reminded: IMPORT_ONLY_RESTRICTS,
    expired: IMPORT_ONLY_RESTRICTS,
    confirmed: IMPORT_ONLY_RESTRICTS,
    subscribed: IMPORT_ONLY_RESTRICTS,
    optout: { to: 'target', targets: ['unsubscribed', 'bounced', 'blacklisted'], otherwise: ALREADY_IN_LEDGER },
    unsubscribed: { to: 'target', targets: ['bounced', 'blacklisted'], otherwise: ALREADY_IN_LEDGER },
    bounced: { to: 'target', targets: ['blacklisted'], otherwise: ALREADY_IN_LEDGER },
    blacklisted: { keep: 'blacklisted; only an operator with proof can lift that' },
  },
  set: {
    none: SET_WITH_PROOF_TO_MAIL,
    optin: SET_WITH_PROOF_TO_MAIL,
    invited: SET_WITH_PROOF_TO_MAIL,
    reminded: SET_WITH_PROOF_TO_MAIL,
    expired: SET_WITH_PROOF_TO_MAIL,
    confirmed: SET_WITH_PROOF_TO_MAIL,
    subscribed: SET_WITH_PROOF_TO_MAIL,
    // Only the person's own signup re-opens a refusal or a withdrawal, not an operator's note.
    optout: { to: 'target', targets: RESTRICTIVE, otherwise: { refuse: 'declined; only their own signup re-opens that (send them a signup confirmation)' } },
    unsubscribed: { to: 'target', targets: RESTRICTIVE, otherwise: { refuse: 'unsubscribed; only their own signup re-opens that (send them a signup confirmation)' } },
    bounced: SET_WITH_PROOF_TO_MAIL,
    blacklisted: { to: 'target', proofFor: 'all' },
  },
  suppress: {
    none: { to: 'blacklisted' },
    optin: { to: 'blacklisted' },
    invited: { to: 'blacklisted' },
    reminded: { to: 'blacklisted' },
    expired: { to: 'blacklisted' },
    confirmed: { to: 'blacklisted' },
    subscribed: { to: 'blacklisted' },
    optout: { to: 'blacklisted' },
    unsubscribed: { to: 'blacklisted' },
    bounced: { to: 'blacklisted' },
    blacklisted: { keep: 'already blacklisted' },
  },
};

/**
 * The statuses an action can change (a cell with a new status, under some basis), in the order of
 * STATUSES: what a query for the rows an action applies to asks for (remind, expire), so no list of
 * statuses is written anywhere but in this table.
 */
export function statusesAllowing(action: Action): Status[] {
  const changes = (rule: Rule) => rule.to !== undefined && rule.keep === undefined && rule.refuse === undefined;
  return STATUSES.filter((status) => {
    const rule = TRANSITIONS[action][status];
    return changes(rule) || Object.values(rule.byBasis ?? {}).some(changes);
  });
}

export type Transition =
  | { kind: 'change'; to: Status; basis: Basis }
  | { kind: 'keep'; reason: string }
  | { kind: 'refuse'; reason: string };

export interface TransitionContext {
  basis: Basis; // the current basis ('none' when there is no consent yet)
  target?: Status; // for import and set
  givenBasis?: Basis; // for import and set
  hasProof?: boolean; // for set: a proof reference or a description was given
}

/** Looks up the cell for (action, from) and says what happens. Pure: no I/O. */
/** The shape both tables' cells share: a move to a state (or the caller's target), a keep or a refusal. */
interface Cell<S extends string, B extends string, C extends Cell<S, B, C>> {
  to?: S | 'target';
  keep?: string;
  refuse?: string;
  targets?: readonly S[];
  otherwise?: C;
  byBasis?: Partial<Record<B, C>>;
}

/**
 * The first half of resolving a cell, the same for consents and purposes: the cell for the held
 * basis, the caller's target checked against the cell's, then keep, refuse, or the state it moves to.
 */
function readCell<S extends string, B extends string, C extends Cell<S, B, C>>(
  cell: C,
  basis: B,
  target: S | undefined,
  needsTarget: string,
): { kind: 'keep' | 'refuse'; reason: string } | { kind: 'to'; to: S; rule: C } {
  let rule: C = cell.byBasis?.[basis] ?? cell;
  if (rule.to === 'target') {
    if (!target) return { kind: 'refuse', reason: needsTarget };
    if (rule.targets && !rule.targets.includes(target)) rule = rule.otherwise ?? ({ refuse: `cannot set ${target}` } as C);
  }
  if (rule.keep !== undefined) return { kind: 'keep', reason: rule.keep };
  if (rule.refuse !== undefined || rule.to === undefined) return { kind: 'refuse', reason: rule.refuse ?? 'not allowed' };
  return { kind: 'to', to: rule.to === 'target' ? (target as S) : rule.to, rule };
}

export function resolveTransition(action: Action, from: StatusOrNone, ctx: TransitionContext): Transition {
  const cell = readCell<Status, Basis, Rule>(TRANSITIONS[action][from], ctx.basis, ctx.target, `${action} needs a target status`);
  if (cell.kind !== 'to') return cell;
  const { to, rule } = cell;
  const needsProof = rule.proofFor === 'all' || (rule.proofFor?.includes(to) ?? false);
  if (needsProof && !ctx.hasProof) {
    return {
      kind: 'refuse',
      reason:
        from === 'blacklisted'
          ? 'leaving blacklisted needs proof (a proof reference or a description)'
          : `a manual change to ${to} needs proof (a proof reference or a description)`,
    };
  }
  const after = BASIS_AFTER[action];
  const basis = after === 'keep' ? ctx.basis : after === 'given' ? basisFor(to, ctx.givenBasis) : after;
  return { kind: 'change', to, basis };
}

/**
 * The basis an imported or manually set status holds: confirmed is always consent; subscribed
 * holds on the basis given (legitimate interest when none is given); every other status is no basis.
 */
export function basisFor(status: Status, given?: Basis): Basis {
  if (status === 'confirmed') return 'consent';
  if (status === 'subscribed') return given && given !== 'none' ? given : 'legitimate_interest';
  return 'none';
}

/** The status a cell leads to; a purge's statuses are read from the table, not written again. */
function leadsTo(action: Action, from: StatusOrNone): Status {
  const to = TRANSITIONS[action][from].to;
  if (to === undefined || to === 'target') throw new Error(`transition table: ${action} from ${from} has no fixed status`);
  return to;
}

/**
 * What the retention purge (core/ledger/retention.ts) may take after its term: a person whose
 * every consent is an unconfirmed signup — the status a signup makes of a new person (optin), the
 * one status a signup waits in that is never reminded — or an expired invitation — the status
 * expiry makes of an unanswered invitation (expired; a signup not confirmed in time ends there too).
 */
export const UNCONFIRMED_SIGNUP: Status = leadsTo('signup', 'none');
export const EXPIRED_INVITATION: Status = leadsTo('expire', 'invited');
export const PURGEABLE: readonly Status[] = [UNCONFIRMED_SIGNUP, EXPIRED_INVITATION];

// ------------------------------------------------------------------------------------ purposes

/**
 * The purposes' transition table: why a person is held (a purpose with a legal basis) changes
 * only through here, as the topics' statuses do above. A purpose is none (no row), active on a
 * basis, or withdrawn. Actions:
 *   import   — an import sets a purpose (SuperOffice's upgrade rules); it never re-opens a withdrawal
 *   set      — an operator sets a purpose's basis or withdraws it; a basis that allows use needs proof
 *   confirm  — the person confirmed a topic by double opt-in: its purpose is held on consent
 *   withdraw — the person (or an operator for them) withdrew or objected: every topic under it goes too
 *   hold     — a retention hold: held on legal_obligation until its end date
 *   release  — the hold ended or was lifted: withdrawn (the deferred erasure follows)
 */
export type PurposeAction = 'import' | 'set' | 'confirm' | 'withdraw' | 'hold' | 'release';
export const PURPOSE_ACTIONS: readonly PurposeAction[] = ['import', 'set', 'confirm', 'withdraw', 'hold', 'release'];

export interface PurposeRule {
  to?: PurposeState | 'target';
  keep?: string;
  refuse?: string;
  /** with to:'target', the target states this cell accepts; `otherwise` applies to the rest */
  targets?: readonly PurposeState[];
  otherwise?: PurposeRule;
  /** an operator must give proof to make the purpose active on a basis other than none */
  proofForBasis?: boolean;
  /** bases this cell will not make active, with the reason */
  refuseBases?: { bases: readonly LegalBasis[]; reason: string };
  byBasis?: Partial<Record<LegalBasis, PurposeRule>>;
}

/** The basis a purpose holds after the action. 'given' = the one the caller supplied (none when none). */
export const PURPOSE_BASIS_AFTER: Record<PurposeAction, LegalBasis | 'given'> = {
  import: 'given',
  set: 'given',
  confirm: 'consent',
  withdraw: 'none',
  hold: 'legal_obligation',
  release: 'none',
};

const PURPOSE_SET: PurposeRule = { to: 'target', proofForBasis: true };

export const PURPOSE_TRANSITIONS: Record<PurposeAction, Record<PurposeStateOrNone, PurposeRule>> = {
  import: {
    none: { to: 'target' },
    // An existing purpose is kept, unless the import withdraws it (a CRM's "no mailings"), or it
    // was held with no basis yet ("never mailed") and the import now gives one.
    active: { to: 'target', targets: ['withdrawn'], otherwise: { keep: 'already in the ledger' }, byBasis: { none: { to: 'target' } } },
    withdrawn: { keep: 'withdrawn; an import does not re-open that' },
  },
  set: {
    none: PURPOSE_SET,
    active: PURPOSE_SET,
    // An objection ends legitimate interest (Art. 21); consent, a contract or a law can still hold.
    withdrawn: {
      to: 'target',
      proofForBasis: true,
      refuseBases: { bases: ['legitimate_interest'], reason: 'withdrawn (an objection): legitimate interest does not re-open that; record consent, a contract or a legal obligation, with proof' },
    },
  },
  confirm: {
    none: { to: 'active' },
    active: { to: 'active', byBasis: { consent: { keep: 'already held on consent' } } },
    withdrawn: { to: 'active' }, // the person's own confirmed signup re-opens it
  },
  withdraw: {
    none: { to: 'withdrawn' }, // remembered, so no import or campaign starts it again
    active: { to: 'withdrawn' },
    withdrawn: { keep: 'already withdrawn' },
  },
  hold: {
    none: { to: 'active' },
    active: { to: 'active' },
    withdrawn: { to: 'active' },
  },
  release: {
    none: { keep: 'no retention hold' },
    active: { to: 'withdrawn' },
    withdrawn: { keep: 'already ended' },
  },
};

export type PurposeTransition =
  | { kind: 'change'; to: PurposeState; basis: LegalBasis }
  | { kind: 'keep'; reason: string }
  | { kind: 'refuse'; reason: string };

export interface PurposeTransitionContext {
  basis: LegalBasis; // the current basis ('none' when there is no row)
  target?: PurposeState; // for import and set
  givenBasis?: LegalBasis; // for import and set
  hasProof?: boolean; // for set: a proof reference or a description was given
}

/** Looks up the purpose cell for (action, from) and says what happens. Pure: no I/O. */
export function resolvePurposeTransition(action: PurposeAction, from: PurposeStateOrNone, ctx: PurposeTransitionContext): PurposeTransition {
  const cell = readCell<PurposeState, LegalBasis, PurposeRule>(PURPOSE_TRANSITIONS[action][from], ctx.basis, ctx.target, `${action} needs a target state`);
  if (cell.kind !== 'to') return cell;
  const { to, rule } = cell;
  const after = PURPOSE_BASIS_AFTER[action];
  // Withdrawn holds no basis; active holds the one given or fixed by the action.
  const basis: LegalBasis = to === 'withdrawn' ? 'none' : after === 'given' ? (ctx.givenBasis ?? 'none') : after;
  if (to === 'active' && rule.refuseBases?.bases.includes(basis)) return { kind: 'refuse', reason: rule.refuseBases.reason };
  if (to === 'active' && basis !== 'none' && rule.proofForBasis && !ctx.hasProof) {
    return { kind: 'refuse', reason: `a manual change to ${basis} needs proof (a proof reference or a description)` };
  }
  if (action !== 'hold' && from === to && ctx.basis === basis) return { kind: 'keep', reason: `already ${to} on ${basis}` };
  return { kind: 'change', to, basis };
}
