import { isAscii, isUtf8 } from 'node:buffer';
import { z } from 'zod/v4';
import { InvalidInput } from './errors';
import { ImportSession, type RowRef } from './import-session';
import { ImportRowSchema, type ImportResult, type ImportRow, type Ledger } from './ledger';
import { describeIssues } from './validation';

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
 */
export const IMPORT_COLUMNS = [
  'email', 'name', 'phone', 'external_id', 'topic', 'channel', 'basis', 'status', 'consent_text', 'optin_who',
  'optin_source', 'optin_date', 'optin_id', 'optin_description', 'previously_mailed', 'no_mailings', 'locale',
] as const;

/** The longest row taken, in characters (quoted line breaks included); a longer one is reported. */
export const MAX_ROW_CHARS = 100_000;
/** Rows per transaction: large enough that commits cost little, small enough that other writers wait little. */
export const IMPORT_BATCH_ROWS = 10_000;

/**
 * The encodings a file may be in. `auto`: a UTF-8 BOM, or valid UTF-8, is UTF-8; a file that is
 * not valid UTF-8 before any non-ASCII UTF-8 appeared is read as Windows-1252 (what Excel on
 * Windows writes as "CSV"). Latin-1 is read as Windows-1252, as browsers do (the WHATWG
 * Encoding Standard): the same letters, plus € and the quotes in 0x80–0x9F.
 */
export const IMPORT_ENCODINGS = ['auto', 'utf-8', 'windows-1252', 'latin1'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

export const ImportEncodingSchema = z
  .string()
  .trim()
  .toLowerCase()
  .transform((v) => ({ utf8: 'utf-8', cp1252: 'windows-1252', 'latin-1': 'latin1', 'iso-8859-1': 'latin1' })[v] ?? v)
  .pipe(z.enum(IMPORT_ENCODINGS, { error: () => `use one of: ${IMPORT_ENCODINGS.join(', ')}` }));

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

const TRUE = new Set(['1', 'true', 'yes', 'ja', 'y', 'j', 'x', 'waar']);
const FALSE = new Set(['', '0', 'false', 'no', 'nee', 'n', 'onwaar']);

/** A yes/no cell: true, false, or what is wrong with it. */
function flag(value: string | undefined): boolean | string {
  const v = (value ?? '').trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  return `"${value}" is not yes/no (use 1/0, yes/no or ja/nee)`;
}

/** One CSV record (column → text) into the import row shape (empty cells absent), or what is wrong. */
function toImportFields(r: Record<string, string>) {
  const cell = (k: string) => {
    const v = r[k]?.trim();
    return v ? v : undefined;
  };
  const previouslyMailed = flag(r.previously_mailed);
  const noMailings = flag(r.no_mailings);
  if (typeof previouslyMailed === 'string') return `previously_mailed: ${previouslyMailed}`;
  if (typeof noMailings === 'string') return `no_mailings: ${noMailings}`;
  return {
    email: cell('email'),
    name: cell('name'),
    phone: cell('phone'),
    externalId: cell('external_id'),
    topic: cell('topic'),
    channel: cell('channel')?.toLowerCase(),
    basis: cell('basis')?.toLowerCase(),
    status: cell('status')?.toLowerCase(),
    consentText: cell('consent_text'),
    optinWho: cell('optin_who'),
    optinSource: cell('optin_source'),
    optinDate: cell('optin_date'),
    optinId: cell('optin_id'),
    optinDescription: cell('optin_description'),
    previouslyMailed,
    noMailings,
    locale: cell('locale')?.toLowerCase(),
  };
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

/** A row as the reader hands it on: valid data for the ledger, or its outcome already known. */
export type Entry = { row: number; line: number; data: ImportRow } | { row: number; line: number; data?: undefined; outcome: 'invalid' | 'empty'; reason: string };

type Line = { text: string; line: number } | { problem: string; line: number };

/**
 * The reader: bytes in (push), rows out (take). Synchronous, so a 1 MB chunk becomes some
 * thousands of rows with no promise per row; the caller decides when to write them.
 */
export class ContactsCsvReader {
  /** Physical lines seen so far. */
  lines = 0;
  encoding: 'utf-8' | 'windows-1252';
  encodingFrom: string;
  private readonly auto: boolean;
  private readonly cp1252 = new TextDecoder('windows-1252');
  private sawUtf8 = false; // a non-ASCII UTF-8 line was read (so the file is UTF-8)
  private detectedAt = 0; // auto: the line that showed the file is not UTF-8
  private started = false;
  private carry: Buffer[] = [];
  private carryBytes = 0;
  private overlong = false; // the current line passed the limit: its bytes are dropped to its end
  private header: string[] | undefined;
  private delimiter = ',';
  private rows = 1;
  private out: Entry[] = [];
  private again: Line[] = []; // lines to read (again) before the next new one; the next is last
  // The row being read when a quoted cell runs over line breaks: its lines, to go back to.
  private open: { lines: { text: string; line: number }[]; chars: number; state: ScanState } | undefined;

  constructor(encoding: ImportEncoding) {
    this.auto = encoding === 'auto';
    this.encoding = encoding === 'auto' || encoding === 'utf-8' ? 'utf-8' : 'windows-1252';
    this.encodingFrom = encoding === 'auto' ? 'valid UTF-8' : `--encoding ${encoding}`;
  }

  /** The rows read so far, in order; each is handed out once. */
  take(): Entry[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  push(chunk: Uint8Array): void {
    let bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.started) {
      if (this.carryBytes + bytes.length < 3 && bytes.length > 0) {
        this.carry.push(bytes);
        this.carryBytes += bytes.length;
        return;
      }
      this.started = true;
      bytes = this.takeCarry(bytes);
      bytes = this.bom(bytes);
    }
    let start = 0;
    const last = bytes.lastIndexOf(0x0a);
    if (last >= 0) {
      if (this.overlong) {
        // The end of an over-long line: report it, read on after it.
        const nl = bytes.indexOf(0x0a);
        this.lines++;
        this.feed({ problem: `the line is longer than ${MAX_ROW_CHARS.toLocaleString('en')} characters, the limit for one row`, line: this.lines });
        this.overlong = false;
        start = nl + 1;
      }
      if (last >= start) this.region(this.takeCarry(bytes.subarray(start, last + 1)));
      start = last + 1;
    }
    if (start < bytes.length) this.keep(bytes.subarray(start));
  }

  end(): void {
    if (!this.started) {
      this.started = true;
      const bytes = this.bom(this.takeCarry(Buffer.alloc(0)));
      if (bytes.length > 0) this.region(Buffer.concat([bytes, Buffer.from('\n')]));
    } else if (this.overlong) {
      this.lines++;
      this.feed({ problem: `the line is longer than ${MAX_ROW_CHARS.toLocaleString('en')} characters, the limit for one row`, line: this.lines });
    } else if (this.carryBytes > 0) {
      this.region(Buffer.concat([...this.carry, Buffer.from('\n')]));
      this.carry = [];
      this.carryBytes = 0;
    }
    while (this.open) {
      this.breakOpenRow('the file ends inside it');
      const next = this.again.pop();
      if (next) this.feed(next);
    }
    if (!this.header) throw new InvalidInput('The CSV file is empty: it needs a header row (email, name, ...) and one row per contact.');
  }

  private bom(bytes: Buffer): Buffer {
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      if (this.auto) this.encodingFrom = 'byte order mark';
      return bytes.subarray(3);
    }
    if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
      throw new InvalidInput('The file is UTF-16 ("Unicode text"); save it as "CSV UTF-8 (comma delimited)" and import that.');
    }
    return bytes;
  }

  private keep(bytes: Buffer): void {
    if (this.overlong) return;
    this.carry.push(bytes);
    this.carryBytes += bytes.length;
    // At most 4 bytes a character: past this, the line is too long whatever it holds.
    if (this.carryBytes > 4 * MAX_ROW_CHARS) {
      this.carry = [];
      this.carryBytes = 0;
      this.overlong = true;
    }
  }

  private takeCarry(bytes: Buffer): Buffer {
    if (this.carryBytes === 0) return bytes;
    const joined = Buffer.concat([...this.carry, bytes]);
    this.carry = [];
    this.carryBytes = 0;
    return joined;
  }

  /** Whole lines (the bytes end with \n): decode, split, read. */
  private region(bytes: Buffer): void {
    if (this.encoding === 'utf-8') {
      if (isAscii(bytes)) return this.split(bytes.toString('latin1', 0, bytes.length - 1));
      if (isUtf8(bytes)) {
        this.sawUtf8 = true;
        return this.split(bytes.toString('utf8', 0, bytes.length - 1));
      }
    } else if (isAscii(bytes)) {
      return this.split(bytes.toString('latin1', 0, bytes.length - 1));
    }
    // Line by line: which line is not in the file's encoding?
    let start = 0;
    while (start < bytes.length) {
      const nl = bytes.indexOf(0x0a, start);
      this.physical(bytes.subarray(start, nl));
      start = nl + 1;
    }
  }

  private physical(bytes: Buffer): void {
    const line = this.lines + 1;
    if (isAscii(bytes)) return this.split(bytes.toString('latin1'));
    if (this.encoding === 'utf-8') {
      if (isUtf8(bytes)) {
        this.sawUtf8 = true;
        return this.split(bytes.toString('utf8'));
      }
      if (!this.auto || this.sawUtf8) {
        this.lines++;
        const hint = this.auto ? 'the lines before it are UTF-8, so the file mixes encodings: save it again as "CSV UTF-8"' : 'if the file is from Excel on Windows, import it with --encoding windows-1252';
        return this.feed({ problem: `the line is not valid UTF-8 (${badByte(bytes)}); ${hint}`, line });
      }
      // Not UTF-8, and nothing before was other than ASCII: a Windows-1252 (Latin-1) file.
      this.encoding = 'windows-1252';
      this.detectedAt = line;
      this.encodingFrom = `line ${line} is not UTF-8 (${badByte(bytes)})`;
      return this.split(this.cp1252.decode(bytes));
    }
    if (isUtf8(bytes)) {
      // Read as Windows-1252 it would be "mÃ¼ller": a UTF-8 line in a file taken as Windows-1252.
      this.lines++;
      const hint = this.auto ? `line ${this.detectedAt} was not, so the file mixes encodings: save it again as "CSV UTF-8"` : 'import the file without --encoding';
      return this.feed({ problem: `the line is UTF-8 but read as Windows-1252; ${hint}`, line });
    }
    this.split(this.cp1252.decode(bytes));
  }

  private split(text: string): void {
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      let line = nl === -1 ? text.slice(start) : text.slice(start, nl);
      if (line.charCodeAt(line.length - 1) === 13) line = line.slice(0, -1);
      this.lines++;
      this.feed(line.length > MAX_ROW_CHARS ? { problem: `the line is longer than ${MAX_ROW_CHARS.toLocaleString('en')} characters, the limit for one row`, line: this.lines } : { text: line, line: this.lines });
      if (nl === -1) return;
      start = nl + 1;
    }
  }

  /** One physical line, or what was wrong with it, into rows (after any lines to be read again). */
  private feed(first: Line): void {
    let item: Line | undefined = first;
    while (item) {
      this.readLine(item);
      item = this.again.pop();
    }
  }

  private readLine(item: Line): void {
    if (this.open) {
      const open = this.open;
      if ('problem' in item) {
        this.breakOpenRow(`line ${item.line} ${item.problem.replace(/^the line /, '')}`, [item]);
        return;
      }
      open.lines.push(item);
      open.chars += item.text.length + 1;
      if (open.chars > MAX_ROW_CHARS) {
        this.breakOpenRow(`by line ${item.line} it is longer than ${MAX_ROW_CHARS.toLocaleString('en')} characters`);
        return;
      }
      const result = scan(item.text, open.state, this.delimiter);
      if (result === 'open') return;
      if (result !== 'done') {
        this.breakOpenRow(`read on to line ${item.line}, the row is not valid CSV: ${result}`);
        return;
      }
      this.open = undefined;
      const first = open.lines[0].line;
      const problem = this.record(open.state.cells, first, item.line);
      if (problem) {
        this.open = open;
        this.breakOpenRow(`read on to line ${item.line}, the row is not valid: ${problem}`);
      }
      return;
    }
    if (!this.header) return this.readHeader(item);
    if ('problem' in item) return this.invalid(item.line, item.problem);
    const text = item.text;
    if (text.indexOf('"') === -1) {
      this.record(text.split(this.delimiter), item.line, item.line);
      return;
    }
    const state: ScanState = { cells: [], field: '', inQuote: false };
    const result = scan(text, state, this.delimiter);
    if (result === 'done') this.record(state.cells, item.line, item.line);
    else if (result === 'open') this.open = { lines: [item], chars: text.length, state };
    else this.invalid(item.line, result);
  }

  /**
   * A row that ran over line breaks and did not end well: most likely a quote that was never
   * closed. Its first line is reported; the lines after it are read again as rows of their own.
   */
  private breakOpenRow(why: string, after: Line[] = []): void {
    const open = this.open!;
    this.open = undefined;
    const [first, ...rest] = open.lines;
    this.invalid(first.line, `a quoted cell that starts on this line is not closed on it (${why}); close the quote, or write a quote inside a cell as ""`);
    // Read next, before any line not yet read (a loop, not recursion: a file of broken quotes is deep).
    for (let k = after.length - 1; k >= 0; k--) this.again.push(after[k]);
    for (let k = rest.length - 1; k >= 0; k--) this.again.push(rest[k]);
  }

  private readHeader(item: Line): void {
    if ('problem' in item) throw new InvalidInput(`The header row (line ${item.line}): ${item.problem}.`);
    const text = item.text;
    this.delimiter = (text.match(/;/g)?.length ?? 0) > (text.match(/,/g)?.length ?? 0) ? ';' : ',';
    const state: ScanState = { cells: [], field: '', inQuote: false };
    const result = scan(text, state, this.delimiter);
    if (result !== 'done') throw new InvalidInput(`The header row (line ${item.line}) is not valid CSV: ${result === 'open' ? 'a quote is not closed' : result}.`);
    const header = state.cells.map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
    if (header.every((h) => h === '')) throw new InvalidInput('The CSV file is empty: it needs a header row (email, name, ...) and one row per contact.');
    const unknown = header.filter((h) => h && !(IMPORT_COLUMNS as readonly string[]).includes(h));
    if (unknown.length > 0) {
      throw new InvalidInput(`Unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; the columns are: ${IMPORT_COLUMNS.join(', ')}.`);
    }
    const twice = header.filter((h, i) => h && header.indexOf(h) !== i);
    if (twice.length > 0) throw new InvalidInput(`The column(s) ${[...new Set(twice)].map((u) => `"${u}"`).join(', ')} appear more than once in the header; keep one of each.`);
    if (!header.includes('email') && !header.includes('phone') && !header.includes('external_id')) {
      throw new InvalidInput('The CSV file needs an email, phone or external_id column.');
    }
    this.header = header;
  }

  private invalid(line: number, reason: string): void {
    const row = ++this.rows;
    this.out.push({ row, line, outcome: 'invalid', reason: `row ${row} (line ${line}), ${reason}` });
  }

  /**
   * A complete row: checked and queued. For a row that ran over several lines, a problem is
   * returned instead (nothing queued), so the caller can read those lines again one by one.
   */
  private record(cells: string[], line: number, lastLine: number): string | undefined {
    const header = this.header!;
    const multiline = lastLine !== line;
    const report = (problem: string) => {
      if (multiline) return problem;
      this.invalid(line, problem);
      return undefined;
    };
    let blank = true;
    for (const c of cells) {
      if (c.trim() !== '') {
        blank = false;
        break;
      }
    }
    if (blank) {
      if (multiline) return 'it is empty';
      const row = ++this.rows;
      this.out.push({ row, line, outcome: 'empty', reason: 'an empty row' });
      return undefined;
    }
    // Cells with nowhere to go: past the header's last column, or under a column without a name.
    const stray: string[] = [];
    for (let k = 0; k < cells.length; k++) {
      if ((k >= header.length || header[k] === '') && cells[k].trim() !== '') stray.push(`cell ${k + 1} "${cells[k].trim().slice(0, 40)}"`);
    }
    if (stray.length > 0) {
      const named = header.filter(Boolean).length;
      return report(`${stray.join(', ')}: the header has no column for ${stray.length === 1 ? 'it' : 'them'} (it names ${named}); a value holding "${this.delimiter}" must be in double quotes`);
    }
    const record: Record<string, string> = {};
    for (let k = 0; k < header.length; k++) {
      const h = header[k];
      if (!h) continue;
      const v = cells[k] ?? '';
      if (v.includes('\uFFFD')) {
        return report(`${h}: contains "\uFFFD", the mark of text decoded in the wrong encoding; import the original file (if it is from Excel on Windows, with --encoding windows-1252)`);
      }
      record[h] = v;
    }
    const fields = toImportFields(record);
    if (typeof fields === 'string') return report(fields);
    const parsed = ImportRowSchema.safeParse(fields);
    if (!parsed.success) return report(describeIssues(parsed.error));
    const row = ++this.rows;
    this.out.push({ row, line, data: parsed.data });
    return undefined;
  }
}

interface ScanState {
  cells: string[];
  field: string;
  inQuote: boolean;
}

/**
 * Reads one physical line into `state` (RFC 4180): 'done' when the row ends with it, 'open' when
 * a quoted cell goes on past the line break, else what is wrong. A quote inside an unquoted cell
 * (O"Brien) is kept as it is; spaces around a quoted cell are allowed.
 */
function scan(text: string, state: ScanState, delimiter: string): 'done' | 'open' | string {
  const n = text.length;
  let i = 0;
  if (state.inQuote) state.field += '\n';
  for (;;) {
    if (state.inQuote) {
      const q = text.indexOf('"', i);
      if (q === -1) {
        state.field += text.slice(i);
        return 'open';
      }
      state.field += text.slice(i, q);
      if (text.charCodeAt(q + 1) === 34) {
        state.field += '"';
        i = q + 2;
        continue;
      }
      state.inQuote = false;
      let j = q + 1;
      while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
      state.cells.push(state.field);
      state.field = '';
      if (j === n) return 'done';
      if (text[j] !== delimiter) {
        return `cell ${state.cells.length} has text after its closing quote ("${text.slice(j, j + 20)}"); a quote inside a quoted cell is written as ""`;
      }
      i = j + 1;
      continue;
    }
    let j = i;
    while (j < n && (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9)) j++;
    if (j < n && text.charCodeAt(j) === 34) {
      state.inQuote = true;
      i = j + 1;
      continue;
    }
    const d = text.indexOf(delimiter, i);
    if (d === -1) {
      state.cells.push(text.slice(i));
      return 'done';
    }
    state.cells.push(text.slice(i, d));
    i = d + 1;
  }
}

/** Where UTF-8 breaks, for the message: "byte 0xFC at position 2". */
function badByte(bytes: Buffer): string {
  let k = 0;
  while (k < bytes.length) {
    const b = bytes[k];
    const size = b < 0x80 ? 1 : b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 ? 2 : 0;
    if (size === 0 || k + size > bytes.length || !isUtf8(bytes.subarray(k, k + size))) return `byte 0x${b.toString(16).toUpperCase()} at position ${k + 1}`;
    k += size;
  }
  return 'an invalid byte sequence';
}
