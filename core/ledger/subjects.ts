import { SubjectRefSchema, type SubjectRef } from '../consent/identity';
import { InvalidInput } from '../errors';
import type { StoreTx, SubjectRow } from '../store/store';
import { parseInput } from '../validation';

/** Which subject an input means: found by a reference, or found or made for a batch of items. */

export async function findSubject(tx: StoreTx, ref: SubjectRef): Promise<SubjectRow | undefined> {
  ref = parseInput(SubjectRefSchema, ref, 'subject');
  const found = await tx.findSubjects({
    emails: ref.email ? [ref.email] : [],
    phones: ref.phone ? [ref.phone] : [],
    externalIds: ref.externalId ? [ref.externalId] : [],
    ids: ref.subjectId ? [ref.subjectId] : [],
  });
  return pickSubject(found, ref);
}

export async function requireSubject(tx: StoreTx, ref: SubjectRef): Promise<SubjectRow> {
  ref = parseInput(SubjectRefSchema, ref, 'subject');
  const subject = await findSubject(tx, ref);
  if (!subject) throw new InvalidInput(`No subject in the ledger for ${describeRef(ref)}.`);
  return subject;
}

/**
 * Finds each item's subject, creating the missing ones (one insert for the batch). Items that
 * name the same person share one subject. Missing identity fields are filled in, never replaced.
 */
export async function resolveSubjectsWithNew<I extends { email?: string; phone?: string; externalId?: string; subjectId?: number; name?: string; locale?: string }>(
  tx: StoreTx,
  items: I[],
  mayCreate: (item: I, index: number) => boolean,
  at: string,
): Promise<{ subjects: Map<number, SubjectRow>; created: Set<number> }> {
  const found = await tx.findSubjects({
    emails: items.flatMap((i) => (i.email ? [i.email] : [])),
    phones: items.flatMap((i) => (i.phone ? [i.phone] : [])),
    externalIds: items.flatMap((i) => (i.externalId ? [i.externalId] : [])),
    ids: items.flatMap((i) => (i.subjectId ? [i.subjectId] : [])),
  });
  const index = new SubjectIndex(found);
  const byItem = new Map<number, SubjectRow>();
  const toCreate = new Map<string, { row: Parameters<StoreTx['insertSubjects']>[0][number]; items: number[] }>();
  items.forEach((item, i) => {
    const subject = index.match(item);
    if (subject) {
      byItem.set(i, subject);
      return;
    }
    if (!mayCreate(item, i)) return;
    const key = item.email ? `e:${item.email}` : item.phone ? `p:${item.phone}` : `x:${item.externalId}`;
    const pending = toCreate.get(key);
    if (pending) {
      pending.items.push(i);
      return;
    }
    toCreate.set(key, {
      row: newSubjectRow(item, at),
      items: [i],
    });
  });
  const created = new Set<number>();
  if (toCreate.size > 0) {
    const pending = [...toCreate.values()];
    const made = await tx.insertSubjects(pending.map((p) => p.row));
    made.forEach((subject, k) => {
      created.add(subject.id);
      pending[k].items.forEach((i) => byItem.set(i, subject));
    });
  }
  // Fill in blanks on known subjects (a name given at signup, a phone from an import).
  for (const [i, subject] of byItem) {
    const item = items[i];
    const patch: Partial<SubjectRow> = {};
    if (!subject.name && item.name) patch.name = item.name;
    if (!subject.locale && item.locale) patch.locale = item.locale;
    if (!subject.phone && item.phone && !index.hasPhone(item.phone)) patch.phone = item.phone;
    if (!subject.email && item.email && !index.hasEmail(item.email)) patch.email = item.email;
    if (!subject.externalId && item.externalId && !index.hasExternalId(item.externalId)) patch.externalId = item.externalId;
    if (Object.keys(patch).length > 0) {
      await tx.updateSubject(subject.id, patch);
      Object.assign(subject, patch);
      index.add(subject);
    }
  }
  return { subjects: byItem, created };
}

/** A subject to insert, from an item's identity (blank fields stay null). */
export function newSubjectRow(
  item: { email?: string; phone?: string; externalId?: string; name?: string; locale?: string },
  at: string,
): Parameters<StoreTx['insertSubjects']>[0][number] {
  return {
    email: item.email ?? null,
    phone: item.phone ?? null,
    externalId: item.externalId ?? null,
    name: item.name ?? null,
    locale: item.locale ?? null,
    createdAt: at,
  };
}

function describeRef(ref: SubjectRef): string {
  if (ref.subjectId) return `subject id ${ref.subjectId}`;
  if (ref.externalId) return `external id ${ref.externalId}`;
  return ref.email ? 'that email address' : 'that phone number';
}

/** Which subject a reference means: email first, then phone, external id, ledger id. */
function pickSubject(found: SubjectRow[], ref: { email?: string; phone?: string; externalId?: string; subjectId?: number }): SubjectRow | undefined {
  return new SubjectIndex(found).match(ref);
}

class SubjectIndex {
  private readonly byEmail = new Map<string, SubjectRow>();
  private readonly byPhone = new Map<string, SubjectRow>();
  private readonly byExternal = new Map<string, SubjectRow>();
  private readonly byId = new Map<number, SubjectRow>();

  constructor(rows: SubjectRow[]) {
    rows.forEach((r) => this.add(r));
  }

  add(r: SubjectRow): void {
    if (r.email) this.byEmail.set(r.email, r);
    if (r.phone) this.byPhone.set(r.phone, r);
    if (r.externalId) this.byExternal.set(r.externalId, r);
    this.byId.set(r.id, r);
  }

  match(ref: { email?: string; phone?: string; externalId?: string; subjectId?: number }): SubjectRow | undefined {
    return (
      (ref.email ? this.byEmail.get(ref.email) : undefined) ??
      (ref.phone ? this.byPhone.get(ref.phone) : undefined) ??
      (ref.externalId ? this.byExternal.get(ref.externalId) : undefined) ??
      (ref.subjectId ? this.byId.get(ref.subjectId) : undefined)
    );
  }

  hasEmail(v: string) {
    return this.byEmail.has(v);
  }
  hasPhone(v: string) {
    return this.byPhone.has(v);
  }
  hasExternalId(v: string) {
    return this.byExternal.has(v);
  }
}
