import { InvalidInput } from '../errors';
import { ImportRowSchema, type ImportRow } from '../ledger';
import { describeIssues } from '../validation';
import { IMPORT_COLUMNS, toImportFields } from './fields';
import { LineReader, MAX_ROW_CHARS, type ImportEncoding, type Line } from './lines';
import { scan, type ScanState } from './scan';

const EMPTY_FILE = 'The CSV file is empty: it needs a header row (email, name, ...) and one row per contact.';

/** A row as the reader hands it on: valid data for the ledger, or its outcome already known. */
export type Entry = { row: number; line: number; data: ImportRow } | { row: number; line: number; data?: undefined; outcome: 'invalid' | 'empty'; reason: string };

/**
 * The reader: bytes in (push), rows out (take). Synchronous, so a 1 MB chunk becomes some
 * thousands of rows with no promise per row; the caller decides when to write them. LineReader
 * turns the bytes into physical lines; this reads them into rows, going back to the line after a
 * quoted cell that is never closed.
 */
export class ContactsCsvReader {
  private readonly source: LineReader;
  private header: string[] | undefined;
  private delimiter = ',';
  private rows = 1;
  private out: Entry[] = [];
  private again: Line[] = []; // lines to read (again) before the next new one; the next is last
  // The row being read when a quoted cell runs over line breaks: its lines, to go back to.
  private open: { lines: { text: string; line: number }[]; chars: number; state: ScanState } | undefined;

  constructor(encoding: ImportEncoding) {
    this.source = new LineReader(encoding, (line) => this.feed(line));
  }

  /** Physical lines seen so far. */
  get lines(): number {
    return this.source.lines;
  }
  get encoding(): 'utf-8' | 'windows-1252' {
    return this.source.encoding;
  }
  get encodingFrom(): string {
    return this.source.encodingFrom;
  }

  /** The rows read so far, in order; each is handed out once. */
  take(): Entry[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  push(chunk: Uint8Array): void {
    this.source.push(chunk);
  }

  end(): void {
    this.source.end();
    while (this.open) {
      this.breakOpenRow('the file ends inside it');
      const next = this.again.pop();
      if (next) this.feed(next);
    }
    if (!this.header) throw new InvalidInput(EMPTY_FILE);
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
    if (header.every((h) => h === '')) throw new InvalidInput(EMPTY_FILE);
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
