import { ImportSession, type RowRef } from './import-session';
import { type ImportResult, type Ledger } from './ledger';
import { ContactsCsvReader, type Entry } from './import/reader';
import type { ImportEncoding } from './import/lines';

export { IMPORT_COLUMNS } from './import/fields';
export { IMPORT_ENCODINGS, ImportEncodingSchema, MAX_ROW_CHARS, type ImportEncoding } from './import/lines';
export { ContactsCsvReader, type Entry } from './import/reader';

/**
 * Contacts from a CSV file (the CLI's `import`, the Consent Ledger node's import): RFC 4180 with a
 * header row; `,` or `;` (Dutch Excel) found from the header line. Read as a stream and written in
 * batches, each in its own transaction, so memory stays flat whatever the file's size.
 *
 * Every row ends up in exactly one outcome, with its row number (the header is row 1) and the
 * physical line it starts on: imported, kept, skipped (suppressed, or the transition table says
 * no), duplicate (the same person, topic and channel as an earlier row), conflict (its email,
 * phone or external id belong to different people), invalid (the reason names the field), or
 * empty. The summary's counts add up to the rows in the file.
 *
 * Why our own reader and not a CSV library: a quote that is never closed must cost one row, not
 * the rest of the file. That needs the reader to go back to the line after the broken one, and a
 * stream parser (csv-parse and the like) cannot: once it has read on, its skip-on-error resumes
 * where it noticed the error, and the rows read into the broken cell are gone. The reader here
 * keeps the lines of a row that runs over several lines (at most MAX_ROW_CHARS), so it can.
 *
 * The parts (core/import/): lines.ts bytes into physical lines (encodings, over-long lines),
 * scan.ts RFC 4180 cells, reader.ts lines into rows (header, broken quotes, checks), fields.ts
 * the columns and a record's fields. This file writes the rows in batches and counts them.
 */

/**
 * Rows per transaction: large enough that commits cost little, small enough that other writers wait
 * little. Measured on 300,000 rows (each person also held for two purposes): 2,500 took 11.9 s CPU
 * at a peak RSS of 230 MB, 10,000 took 14.3 s at 307 MB (a batch's objects outlive V8's young
 * generation); 1,000 no better than 2,500.
 */
export const IMPORT_BATCH_ROWS = 2_500;

export type ImportOutcome = ImportResult['outcome'] | 'invalid' | 'empty';

/** One row's report. `subjectId`, `topic`, `channel` and `status` come with rows the ledger saw. */
export interface ImportReport {
  row: number;
  line: number;
  outcome: ImportOutcome;
  reason: string | null;
  subjectId?: number | null;
  topic?: string;
  channel?: string;
  status?: string;
  /** For a duplicate: the earlier row with the same person, topic and channel. */
  duplicateOf?: RowRef;
}

export interface ImportSummary {
  /** Rows after the header: imported + kept + skipped + duplicate + conflict + invalid + empty. */
  rows: number;
  imported: number;
  kept: number;
  skipped: number;
  duplicate: number;
  conflict: number;
  invalid: number;
  empty: number;
  /** Physical lines read (a quoted cell may hold line breaks, so this can exceed rows + 1). */
  lines: number;
  encoding: 'utf-8' | 'windows-1252';
  /** How the encoding was chosen: the option, the BOM, the bytes, or the first line that was not UTF-8. */
  encodingFrom: string;
}

export interface ImportCsvOptions {
  encoding?: ImportEncoding;
  /** Evidence for every row (actor, source), as the ledger's importContacts takes it. */
  evidence?: unknown;
  batchRows?: number;
}
/**
 * Reads a contacts CSV from `source` and imports it into `ledger` in batches, calling `onRow` for
 * every row in file order. Throws InvalidInput, before importing anything, for a file that cannot
 * be a contacts file (no header, unknown or repeated columns, no identifier column, UTF-16).
 */
export async function importContactsCsv(
  ledger: Ledger,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ImportCsvOptions,
  onRow: (report: ImportReport) => void | Promise<void>,
): Promise<ImportSummary> {
  const reader = new ContactsCsvReader(options.encoding ?? 'auto');
  const session = new ImportSession();
  const batchRows = options.batchRows ?? IMPORT_BATCH_ROWS;
  const summary = { rows: 0, imported: 0, kept: 0, skipped: 0, duplicate: 0, conflict: 0, invalid: 0, empty: 0 };
  let pending: Entry[] = [];
  let valid = 0;

  const flush = async () => {
    const rows = pending.flatMap((e) => (e.data ? [{ row: e.row, line: e.line, data: e.data }] : []));
    const results = rows.length > 0 ? await ledger.importContacts(rows, options.evidence, session) : [];
    let k = 0;
    for (const e of pending) {
      const report: ImportReport = e.data ? (results[k++] as ImportReport) : { row: e.row, line: e.line, outcome: e.outcome, reason: e.reason };
      summary.rows++;
      summary[report.outcome]++;
      await onRow(report);
    }
    pending = [];
    valid = 0;
  };

  for await (const chunk of source) {
    reader.push(chunk);
    for (const entry of reader.take()) {
      pending.push(entry);
      if (entry.data && ++valid >= batchRows) await flush();
    }
    // Reports wait for the next batch only while it fills: a long run of invalid rows is not held.
    if (pending.length >= batchRows) await flush();
  }
  reader.end();
  pending.push(...reader.take());
  await flush();
  return { ...summary, lines: reader.lines, encoding: reader.encoding, encodingFrom: reader.encodingFrom };
}
