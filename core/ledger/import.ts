import type { Evidence } from '../consent/evidence';
import type { Basis, Status, StatusOrNone } from '../consent/statuses';
import { resolveTransition } from '../consent/transitions';
import { ImportSession, type RowRef } from '../import-session';
import type { ConsentChange, SubjectRow } from '../store/store';
import { importPurposes } from './purposes';
import { consentKey, eventFrom, isSuppressedEach, loadConsents, nextConsent, parseEvidence, suppressionHashes, type LedgerContext } from './context';
import type { ImportResult, ImportRow } from './schemas';
import { newSubjectRow } from './subjects';

/** Importing existing contacts (core/import.ts reads the file and calls this in batches). */

/**
 * Imports existing contacts with their basis (SuperOffice's migration rules when no status is
 * given: no_mailings → unsubscribed; previously mailed → subscribed on legitimate interest;
 * neither → the person is recorded with no consent). Suppressed addresses are skipped.
 * `rows` pairs each parsed row with its row number (and line) in the file; one call is one
 * transaction, so a file is imported in batches (core/import.ts) that share one `session`.
 *
 * One row names one person. A row whose email, phone and external id belong to different
 * people (in the ledger, or made by an earlier row), or whose email or external id belongs to
 * a person who has another one, is a `conflict`: reported with the row, nothing written. A row
 * that gives a person, topic and channel an earlier row of the same import gave is a
 * `duplicate` of that row: the first one counts.
 */
export async function importContacts(ctx: LedgerContext, rows: { row: number; line?: number; data: ImportRow }[], evidenceInput: unknown, session = new ImportSession()): Promise<ImportResult[]> {
  const now = ctx.now();
  const at = now.toISOString();
  const base = parseEvidence(evidenceInput ?? { actor: { kind: 'operator' }, source: { kind: 'import' } });
  const key = await ctx.loadSuppressionKey();
  const data = rows.map((r) => r.data);
  const ref = (i: number): RowRef => ({ row: rows[i].row, line: rows[i].line ?? 0 });
  const where = (r: RowRef) => `row ${r.row}${r.line ? ` (line ${r.line})` : ''}`;
  const { results, firstRows, firstConsents } = await ctx.store.transaction(async (tx) => {
    // A ledger nobody was erased from has no suppression list: then no row needs hashing.
    let isSuppressedAt: boolean[] = new Array<boolean>(data.length).fill(false);
    if (await tx.hasSuppressions()) {
      const hashes = data.map((d) => suppressionHashes(key, d));
      isSuppressedAt = await isSuppressedEach(tx, hashes);
    }
    const live = data.filter((_, i) => !isSuppressedAt[i]);
    const found = await tx.findSubjects({
      emails: live.flatMap((d) => (d.email ? [d.email] : [])),
      phones: live.flatMap((d) => (d.phone ? [d.phone] : [])),
      externalIds: live.flatMap((d) => (d.externalId ? [d.externalId] : [])),
    });
    // Who each identifier belongs to: the ledger's people, then those this batch makes.
    const byEmail = new Map<string, SubjectRow>();
    const byPhone = new Map<string, SubjectRow>();
    const byExternal = new Map<string, SubjectRow>();
    const index = (s: SubjectRow) => {
      if (s.email) byEmail.set(s.email, s);
      if (s.phone) byPhone.set(s.phone, s);
      if (s.externalId) byExternal.set(s.externalId, s);
    };
    found.forEach(index);
    const known = new Set(found.map((s) => s.id));
    const firstIn = new Map<SubjectRow, RowRef>(); // the row of this batch that first named a person
    const made: SubjectRow[] = [];
    const patches = new Map<SubjectRow, Partial<SubjectRow>>();
    const whose = (s: SubjectRow) => {
      const first = firstIn.get(s) ?? (known.has(s.id) ? session.subjects.get(ImportSession.subjectKey(s.id)) : undefined);
      return first ? `the person of ${where(first)}` : 'a person already in the ledger';
    };

    const subjectOf = data.map((d, i): SubjectRow | string | undefined => {
      if (isSuppressedAt[i]) return undefined;
      const e = d.email ? byEmail.get(d.email) : undefined;
      const x = d.externalId ? byExternal.get(d.externalId) : undefined;
      const p = d.phone ? byPhone.get(d.phone) : undefined;
      const subject = e ?? x ?? p;
      const by = e ? `email ${d.email}` : x ? `external_id ${d.externalId}` : `phone ${d.phone}`;
      const other = x && x !== subject ? ['external_id', d.externalId, x] as const : p && p !== subject ? ['phone', d.phone, p] as const : undefined;
      if (other) return `${by} and ${other[0]} ${other[1]} belong to two different people (${whose(subject!)}; ${whose(other[2])}): one row names one person`;
      if (subject) {
        if (d.email && subject.email && subject.email !== d.email) return `${by} belongs to ${whose(subject)}, who has another email address; correct the row, or that person's address first`;
        if (d.externalId && subject.externalId && subject.externalId !== d.externalId) return `${by} belongs to ${whose(subject)}, whose external_id is ${subject.externalId}; correct the row, or that person's external_id first`;
        // Fill in blanks (a name, a phone number the ledger did not have yet).
        const patch: Partial<SubjectRow> = {};
        if (!subject.name && d.name) patch.name = d.name;
        if (!subject.locale && d.locale) patch.locale = d.locale;
        if (!subject.phone && d.phone) patch.phone = d.phone;
        if (!subject.email && d.email) patch.email = d.email;
        if (!subject.externalId && d.externalId) patch.externalId = d.externalId;
        if (Object.keys(patch).length > 0) {
          Object.assign(subject, patch);
          index(subject);
          if (subject.id !== 0) patches.set(subject, { ...patches.get(subject), ...patch });
        }
        if (!firstIn.has(subject) && !(known.has(subject.id) && session.subjects.get(ImportSession.subjectKey(subject.id)))) firstIn.set(subject, ref(i));
        return subject;
      }
      const created: SubjectRow = {
        id: 0,
        ...newSubjectRow(d, at),
        holdReason: null,
        holdUntil: null,
        suppressedAt: null,
      };
      index(created);
      made.push(created);
      firstIn.set(created, ref(i));
      return created;
    });
    if (made.length > 0) {
      const inserted = await tx.insertSubjects(made.map(({ email, phone, externalId, name, locale, createdAt }) => ({ email, phone, externalId, name, locale, createdAt })));
      inserted.forEach((s, k) => Object.assign(made[k], s));
    }
    for (const [subject, patch] of patches) await tx.updateSubject(subject.id, patch);

    const ids = [...new Set(subjectOf.flatMap((s) => (typeof s === 'object' ? [s.id] : [])))];
    await tx.lockSubjects(ids);
    const consents = await loadConsents(tx, ids.filter((id) => known.has(id)));
    const firstConsents = new Map<string, { key: [number, number]; ref: RowRef }>();
    const changes: ConsentChange[] = [];
    const counted: { subject: SubjectRow; d: ImportRow }[] = [];
    const results = rows.map(({ row, data: d }, i): ImportResult => {
      const s = subjectOf[i];
      const subject = typeof s === 'object' ? s : undefined;
      const result: ImportResult = { row, line: rows[i].line ?? null, outcome: 'skipped', reason: null, subjectId: subject?.id ?? null, topic: d.topic, channel: d.channel, status: 'none' };
      if (isSuppressedAt[i] || subject?.suppressedAt) {
        result.reason = 'suppressed';
        return result;
      }
      if (!subject) {
        result.outcome = 'conflict';
        result.reason = `${where(ref(i))}, ${s}`;
        return result;
      }
      const ck = consentKey(subject.id, d.topic, d.channel);
      const hashed = ImportSession.consentKey(subject.id, d.topic, d.channel);
      const earlier = firstConsents.get(ck)?.ref ?? session.consents.get(hashed);
      if (earlier) {
        result.outcome = 'duplicate';
        result.reason = `${where(ref(i))}, the same person, topic and channel as ${where(earlier)}: only that row counts; merge the two rows`;
        result.duplicateOf = earlier;
        return result;
      }
      firstConsents.set(ck, { key: hashed, ref: ref(i) });
      counted.push({ subject, d });
      const target: Status | undefined = d.status ?? (d.noMailings ? 'unsubscribed' : d.previouslyMailed ? 'subscribed' : undefined);
      const current = consents.get(ck);
      const from: StatusOrNone = current?.status ?? 'none';
      result.status = from;
      if (!target) {
        result.outcome = 'imported';
        result.reason = 'no consent: recorded without a status';
        return result;
      }
      const givenBasis: Basis | undefined = d.basis ?? (d.status ? undefined : d.previouslyMailed && !d.noMailings ? 'legitimate_interest' : undefined);
      const transition = resolveTransition('import', from, { basis: current?.basis ?? 'none', target, givenBasis });
      if (transition.kind !== 'change') {
        result.outcome = transition.kind === 'keep' ? 'kept' : 'skipped';
        result.reason = transition.reason;
        return result;
      }
      const evidence: Evidence = {
        ...base,
        actor: d.optinWho ? { kind: base.actor.kind, name: d.optinWho } : base.actor,
        source: d.optinSource ? { kind: 'import', ref: d.optinSource } : base.source,
        consentText: d.consentText ?? base.consentText,
        optinId: d.optinId ?? base.optinId,
        description: d.optinDescription ?? base.description,
        at: d.optinDate,
      };
      const next = nextConsent(current, { subjectId: subject.id, topic: d.topic, channel: d.channel }, transition.to, transition.basis, 'import', at, d.optinDate?.toISOString());
      changes.push({
        consent: next,
        event: eventFrom(evidence, { subjectId: subject.id, topic: d.topic, channel: d.channel, action: 'import', fromStatus: from, toStatus: transition.to, basis: transition.basis }, now),
      });
      consents.set(ck, next);
      result.outcome = 'imported';
      result.status = transition.to;
      return result;
    });
    await tx.writeChanges(changes);
    // Why each imported person is held (SuperOffice's upgrade rules), after their topics: a
    // withdrawal of e-marketing then carries every topic the person has.
    await tx.writePurposes(await importPurposes(ctx, tx, counted, base, now));
    const firstRows = [...firstIn].map(([s, r]) => ({ id: s.id, ref: r }));
    return { results, firstRows, firstConsents: [...firstConsents.values()] };
  });
  // Only what committed is remembered (a PostgreSQL transaction may have run more than once).
  for (const { id, ref: r } of firstRows) session.subjects.setIfAbsent(ImportSession.subjectKey(id), r);
  for (const { key: k, ref: r } of firstConsents) session.consents.setIfAbsent(k, r);
  return results;
}
