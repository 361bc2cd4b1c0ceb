import { CSV_BOM, csvLine } from './csv';
import type { Ledger } from './ledger';

/**
 * The call list for a telemarketing run: everyone the ledger allows to be called for one topic,
 * with name, phone and CallPro's five opt-in fields (Dutch telemarketing opt-in since 1 July 2021).
 * Who is allowed is the ledger's check (the phone channel's policy, strict by default): this file
 * only pages through the candidates and writes what check answered.
 */
export const CALL_LIST_COLUMNS = ['name', 'phone', 'optin_who', 'optin_source', 'optin_date', 'optin_id', 'optin_description'] as const;

export interface CallListRow {
  subjectId: number;
  name: string | null;
  phone: string;
  optin_who: string | null;
  optin_source: string | null;
  optin_date: string | null;
  optin_id: string | null;
  optin_description: string | null;
}

export interface CallListOptions {
  /** Only explicit consent counts, whatever the phone channel's policy (which is strict by default). */
  strict?: boolean;
  /** People read and checked per round trip. */
  pageSize?: number;
}

/** The people that may be called for `topic`, ascending ledger id, a page at a time. */
export async function* callListRows(ledger: Ledger, topic: string, options: CallListOptions = {}): AsyncGenerator<CallListRow> {
  const limit = options.pageSize ?? 1000;
  for (let after = 0; ; ) {
    const page = await ledger.phoneSubjects(topic, after, limit);
    if (page.length === 0) return;
    after = page[page.length - 1].id;
    const checked = await ledger.check(
      page.map((p) => ({ subjectId: p.id, topic, channel: 'phone' as const })),
      { strict: options.strict },
    );
    for (let i = 0; i < page.length; i++) {
      const c = checked[i];
      if (!c.allowed) continue;
      yield {
        subjectId: page[i].id,
        name: page[i].name,
        phone: page[i].phone,
        optin_who: c.optin_who,
        optin_source: c.optin_source,
        optin_date: c.optin_date,
        optin_id: c.optin_id,
        optin_description: c.optin_description,
      };
    }
  }
}

/**
 * The call list as CSV text, line by line (header first; comma-separated, CRLF, UTF-8 with a BOM), every
 * cell neutralised against spreadsheet formulas (core/csv). `counted` learns the number of people.
 */
export async function* callListCsv(ledger: Ledger, topic: string, options: CallListOptions & { counted?: (n: number) => void } = {}): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(CALL_LIST_COLUMNS);
  let n = 0;
  for await (const row of callListRows(ledger, topic, options)) {
    n++;
    yield csvLine(CALL_LIST_COLUMNS.map((column) => row[column]));
  }
  options.counted?.(n);
}
