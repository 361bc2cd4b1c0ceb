import type { Evidence } from '../consent/evidence';
import type { SubjectRef } from '../consent/identity';
import type { Basis, LegalBasis, PurposeState, Status } from '../consent/statuses';
import { basisFor, resolvePurposeTransition, resolveTransition, type PurposeAction, type PurposeTransition } from '../consent/transitions';
import { CONTACTABLE } from '../consent/statuses';
import { TransitionRefused } from '../errors';
import type { ConsentState, PurposeChange, PurposeRow, StoreTx, SubjectRow } from '../store/store';
import { parseInput } from '../validation';
import { eventFrom, iso, nextConsent, parseEvidence, type LedgerContext } from './context';
import { PurposeSetSchema, type ImportRow, type PurposeExport } from './schemas';
import { findSubject, requireSubject } from './subjects';

/**
 * Purposes (issue 16): why the organisation holds a person, on which legal basis (GDPR Art. 6(1)).
 * Every topic sits under the e-marketing purpose: withdrawing it withdraws every topic in the
 * same one event, and check allows a topic only while e-marketing is active on a basis that
 * allows it. Every change goes through the purposes' transition table (core/consent/transitions.ts).
 */

export interface PurposeOutcome {
  purpose: string;
  from: PurposeState | 'none';
  state: PurposeState | 'none';
  basis: LegalBasis;
  outcome: 'changed' | 'kept' | 'refused';
  reason: string | null;
}

/**
 * The change `action` makes to one purpose of one subject, or why it makes none. `consents` are
 * the topic rows the change carries (a withdrawal of e-marketing), written with its event.
 */
export function purposeChange(
  subject: Pick<SubjectRow, 'id'>,
  purpose: string,
  current: PurposeRow | undefined,
  action: PurposeAction,
  evidence: Evidence,
  now: Date,
  given: { target?: PurposeState; givenBasis?: LegalBasis; hasProof?: boolean; until?: string | null; reason?: string | null } = {},
  text?: { text: string | null; hash: string | null },
): { transition: PurposeTransition; change?: PurposeChange } {
  const from = current?.state ?? 'none';
  const transition = resolvePurposeTransition(action, from, { basis: current?.basis ?? 'none', ...given });
  if (transition.kind !== 'change') return { transition };
  const at = iso(evidence.at ?? now);
  const same = current && current.state === transition.to && current.basis === transition.basis;
  return {
    transition,
    change: {
      purpose: {
        subjectId: subject.id,
        purpose,
        state: transition.to,
        basis: transition.basis,
        since: same ? current.since : at,
        until: transition.to === 'active' && action === 'hold' ? (given.until ?? null) : null,
        reason: transition.to === 'active' && action === 'hold' ? (given.reason ?? null) : null,
      },
      event: { ...eventFrom(evidence, { subjectId: subject.id, topic: null, channel: null, action, fromStatus: from, toStatus: transition.to, basis: transition.basis }, now, text), purpose },
    },
  };
}

/** The topic rows a withdrawal of e-marketing carries: every topic on every channel, unsubscribed as the table says. */
export async function topicsWithdrawn(tx: StoreTx, subjectId: number, now: Date): Promise<ConsentState[]> {
  const at = now.toISOString();
  return (await tx.getConsents([subjectId])).flatMap((c) => {
    const t = resolveTransition('unsubscribe', c.status, { basis: c.basis });
    return t.kind === 'change' ? [nextConsent(c, { subjectId, topic: c.topic, channel: c.channel }, t.to, t.basis, 'unsubscribe', at)] : [];
  });
}

function outcomeOf(purpose: string, current: PurposeRow | undefined, transition: PurposeTransition): PurposeOutcome {
  const from = current?.state ?? 'none';
  if (transition.kind === 'change') return { purpose, from, state: transition.to, basis: transition.basis, outcome: 'changed', reason: null };
  return { purpose, from, state: from, basis: current?.basis ?? 'none', outcome: transition.kind === 'keep' ? 'kept' : 'refused', reason: transition.reason };
}

/**
 * Applies one purpose action to one subject in `tx` (the subject locked by the caller). A
 * withdrawal of e-marketing carries every topic with it, in its one event.
 */
export async function applyPurpose(
  ctx: LedgerContext,
  tx: StoreTx,
  subject: SubjectRow,
  purpose: string,
  action: PurposeAction,
  evidence: Evidence,
  now: Date,
  given: Parameters<typeof purposeChange>[6] = {},
  text?: { text: string | null; hash: string | null },
): Promise<PurposeOutcome> {
  const [current] = await tx.getPurposes([subject.id], purpose);
  const { transition, change } = purposeChange(subject, purpose, current, action, evidence, now, given, text);
  if (change) {
    if (change.purpose.state === 'withdrawn' && purpose === ctx.settings.purposes.emarketing) change.consents = await topicsWithdrawn(tx, subject.id, now);
    await tx.writePurposes([change]);
  }
  return outcomeOf(purpose, current, transition);
}

/**
 * An operator (or a trusted system) sets a purpose's state and basis. Making it active on a basis
 * other than none needs proof, as a manual status change does; withdrawing e-marketing
 * withdraws every topic under it.
 */
export async function setPurpose(ctx: LedgerContext, ref: SubjectRef, input: unknown, evidenceInput: unknown): Promise<PurposeOutcome & { subjectId: number }> {
  const change = parseInput(PurposeSetSchema, input, 'purpose');
  const now = ctx.now();
  const evidence = parseEvidence(evidenceInput ?? { actor: { kind: 'operator' } });
  return ctx.store.transaction(async (tx) => {
    const subject = await requireSubject(tx, ref);
    await tx.lockSubjects([subject.id]);
    const action: PurposeAction = change.state === 'withdrawn' ? 'withdraw' : 'set';
    const outcome = await applyPurpose(ctx, tx, subject, change.purpose, action, evidence, now, {
      target: change.state,
      givenBasis: change.state === 'withdrawn' ? 'none' : change.basis,
      hasProof: Boolean(evidence.proofRef || evidence.description),
    });
    if (outcome.outcome === 'refused') throw new TransitionRefused(action, outcome.from, outcome.reason ?? 'not allowed');
    return { ...outcome, subjectId: subject.id };
  });
}

/** The purposes as the export shows them: each with its basis, since when, its source and the retention that applies. */
export function exportPurposes(rows: PurposeRow[], subject: SubjectRow): PurposeExport[] {
  const hold = subject.holdUntil || subject.holdReason ? { until: subject.holdUntil, reason: subject.holdReason } : null;
  return rows.map((r) => ({
    purpose: r.purpose,
    state: r.state,
    basis: r.basis,
    since: r.since,
    source: r.evidence.source,
    setBy: r.evidence.who,
    retention: r.until || r.reason ? { until: r.until, reason: r.reason } : hold,
  }));
}

export async function purposeReport(ctx: LedgerContext) {
  return ctx.store.transaction((tx) => tx.countPurposes());
}

/** Bases a topic's row can give its purpose, strongest first (what an explicit status rests on). */
const TOPIC_BASIS_ORDER: readonly LegalBasis[] = ['consent', 'contract', 'legitimate_interest'];

/**
 * The purposes an import gives its people, SuperOffice's GDPR upgrade rules: everyone is held for
 * sales and service on legitimate interest; e-marketing is withdrawn for "no mailings", active on
 * legitimate interest for "previously mailed", active with no basis (held, not contactable) for
 * neither. A row with an explicit status that allows mail gives e-marketing the strongest basis
 * its rows rest on. One change per person and purpose; an existing purpose is kept unless the
 * import withdraws it, and a withdrawal is never re-opened (the purposes' transition table).
 */
export async function importPurposes(
  ctx: LedgerContext,
  tx: StoreTx,
  counted: { subject: SubjectRow; d: ImportRow }[],
  evidence: Evidence,
  now: Date,
): Promise<PurposeChange[]> {
  const { salesAndService, emarketing } = ctx.settings.purposes;
  const people = new Map<number, { subject: SubjectRow; rows: ImportRow[] }>();
  for (const { subject, d } of counted) {
    const person = people.get(subject.id) ?? { subject, rows: [] };
    person.rows.push(d);
    people.set(subject.id, person);
  }
  if (people.size === 0) return [];
  const current = new Map((await tx.getPurposes([...people.keys()])).map((p) => [`${p.subjectId}|${p.purpose}`, p]));
  const changes: PurposeChange[] = [];
  for (const { subject, rows } of people.values()) {
    const add = (purpose: string, target: PurposeState, givenBasis: LegalBasis) => {
      const { change } = purposeChange(subject, purpose, current.get(`${subject.id}|${purpose}`), 'import', evidence, now, { target, givenBasis });
      if (change) changes.push(change);
      return change;
    };
    // The purposes column: other purposes, or a basis of the row's own for a default one (first row wins).
    const column = new Map<string, LegalBasis>();
    for (const d of rows) for (const p of d.purposes ?? []) if (!column.has(p.purpose)) column.set(p.purpose, p.basis);
    add(salesAndService, 'active', column.get(salesAndService) ?? 'legitimate_interest');
    for (const [purpose, basis] of column) if (purpose !== salesAndService && purpose !== emarketing) add(purpose, 'active', basis);
    const explicit = rows.flatMap((d) => (d.status && CONTACTABLE.includes(d.status) ? [basisFor(d.status, d.basis)] : []));
    const superOffice = rows.filter((d) => !d.status);
    const withdrawn = superOffice.some((d) => d.noMailings);
    const strongest = TOPIC_BASIS_ORDER.find((b) => (explicit as LegalBasis[]).includes(b));
    const change = withdrawn
      ? add(emarketing, 'withdrawn', 'none')
      : column.has(emarketing)
        ? add(emarketing, 'active', column.get(emarketing)!)
        : strongest
        ? add(emarketing, 'active', strongest)
        : superOffice.some((d) => d.previouslyMailed)
          ? add(emarketing, 'active', 'legitimate_interest')
          : superOffice.length > 0
            ? add(emarketing, 'active', 'none')
            : undefined;
    if (change?.purpose.state === 'withdrawn') change.consents = await topicsWithdrawn(tx, subject.id, now);
  }
  return changes;
}

/** Bases a purpose can rest on for e-marketing, weakest first: a topic's change only ever raises it. */
const RAISING: readonly LegalBasis[] = ['none', 'legitimate_interest', 'contract', 'consent'];

/**
 * What a topic's change means for its purpose (every topic sits under e-marketing): a topic the
 * person confirmed by double opt-in holds e-marketing on consent; a topic an operator set to a
 * mail-allowing status (with the proof the table asks for) raises e-marketing to that basis,
 * never lowers it. Restrictive changes leave the purpose alone (one topic off is not an objection
 * to e-marketing as a whole). A confirmation's purpose event carries its consent text.
 */
export async function followTopics(
  ctx: LedgerContext,
  tx: StoreTx,
  subject: SubjectRow,
  outcomes: { topic: string; status: string; outcome: string }[],
  action: 'confirm' | 'set',
  evidence: Evidence,
  now: Date,
  givenBasis?: Basis,
  text?: { text: string | null; hash: string | null },
): Promise<void> {
  const changed = outcomes.filter((o) => o.outcome === 'changed' && (CONTACTABLE as readonly string[]).includes(o.status));
  if (changed.length === 0) return;
  const purpose = ctx.settings.purposes.emarketing;
  if (action === 'confirm') {
    if (changed.some((o) => o.status === 'confirmed')) await applyPurpose(ctx, tx, subject, purpose, 'confirm', evidence, now, {}, text);
    return;
  }
  const basis = TOPIC_BASIS_ORDER.find((b) => changed.some((o) => basisFor(o.status as Status, givenBasis) === b));
  if (!basis) return;
  const [current] = await tx.getPurposes([subject.id], purpose);
  if (current?.state === 'active' && RAISING.indexOf(current.basis) >= RAISING.indexOf(basis)) return;
  await applyPurpose(ctx, tx, subject, purpose, 'set', evidence, now, { target: 'active', givenBasis: basis, hasProof: true });
}

export interface PurposeCheckResult {
  index: number;
  allowed: boolean;
  reason: LegalBasis | 'purpose_withdrawn' | 'no_purpose_basis' | 'strict_requires_consent' | 'unknown' | 'suppressed';
  subjectId: number | null;
  purpose: string;
  state: PurposeState | 'none';
  basis: LegalBasis;
  since: string | null;
  source: string | null;
}

/**
 * May I process this person's data for this purpose now? Allowed when the purpose is active on a
 * basis (strict: consent only). An unknown or suppressed person is never allowed. One transaction.
 */
export async function checkPurposes(
  ctx: LedgerContext,
  items: { email?: string; phone?: string; externalId?: string; subjectId?: number }[],
  purposeInput: string,
  options: { strict?: boolean } = {},
): Promise<PurposeCheckResult[]> {
  const purpose = parseInput(PurposeSetSchema.shape.purpose, purposeInput, 'purpose');
  const strict = options.strict ?? ctx.settings.strict;
  return ctx.store.transaction(async (tx) => {
    const out: PurposeCheckResult[] = [];
    for (const [index, item] of items.entries()) {
      const subject = await findSubject(tx, { email: item.email, phone: item.phone, externalId: item.externalId, subjectId: item.subjectId });
      const held: PurposeRow | undefined = subject ? (await tx.getPurposes([subject.id], purpose))[0] : undefined;
      const state: PurposeState | 'none' = held?.state ?? 'none';
      const basis: LegalBasis = held?.basis ?? 'none';
      const reason: PurposeCheckResult['reason'] = !subject
        ? 'unknown'
        : subject.suppressedAt
          ? 'suppressed'
          : state === 'withdrawn'
            ? 'purpose_withdrawn'
            : state === 'none' || basis === 'none'
              ? 'no_purpose_basis'
              : strict && basis !== 'consent'
                ? 'strict_requires_consent'
                : basis;
      out.push({
        index,
        allowed: reason === basis, // a basis only when it allows (none is no_purpose_basis)
        reason,
        subjectId: subject?.id ?? null,
        purpose,
        state,
        basis,
        since: held?.since ?? null,
        source: held?.evidence.source ?? null,
      });
    }
    return out;
  });
}
