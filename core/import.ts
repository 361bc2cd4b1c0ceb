import { z } from 'zod/v4';
import { ImportRowSchema, type ImportRow } from './ledger';
import { describeIssues } from './validation';
import { InvalidInput } from './errors';

/**
 * Contacts from a CSV file (the CLI's `import`, the Consent Ledger node's import): RFC 4180 with
 * a header row; `,` or `;` (Dutch Excel) found from the header. Invalid rows are reported with
 * their row number (the header is row 1) and the field; valid rows are kept.
 */
export const IMPORT_COLUMNS = [
  'email', 'name', 'phone', 'external_id', 'topic', 'channel', 'basis', 'status', 'consent_text', 'optin_who',
  'optin_source', 'optin_date', 'optin_id', 'optin_description', 'previously_mailed', 'no_mailings', 'locale',
] as const;

const TRUE = new Set(['1', 'true', 'yes', 'ja', 'y', 'j', 'x', 'waar']);
const FALSE = new Set(['', '0', 'false', 'no', 'nee', 'n', 'onwaar']);

const Flag = z.string().transform((value, ctx) => {
  const v = value.trim().toLowerCase();
  if (TRUE.has(v)) return true;
  if (FALSE.has(v)) return false;
  ctx.addIssue({ code: 'custom', message: `"${value}" is not yes/no (use 1/0, yes/no or ja/nee)` });
  return z.NEVER;
});

/** One CSV record (column → text) into the import row shape; empty cells are absent. */
const CsvRecordSchema = z
  .record(z.string(), z.string())
  .transform((r) => {
    const cell = (k: string) => (r[k] !== undefined && r[k].trim() !== '' ? r[k].trim() : undefined);
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
      previouslyMailed: Flag.parse(r.previously_mailed ?? ''),
      noMailings: Flag.parse(r.no_mailings ?? ''),
      locale: cell('locale')?.toLowerCase(),
    };
  });

export interface ParsedImport {
  valid: { row: number; data: ImportRow }[];
  invalid: { row: number; error: string }[];
}

export function parseContactsCsv(text: string): ParsedImport {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  if (records.length === 0) throw new InvalidInput('The CSV file is empty: it needs a header row (email, name, ...) and one row per contact.');
  const header = records[0].map((h) => h.trim().toLowerCase().replace(/[\s-]+/g, '_'));
  const unknown = header.filter((h) => h && !(IMPORT_COLUMNS as readonly string[]).includes(h));
  if (unknown.length > 0) {
    throw new InvalidInput(`Unknown column(s) ${unknown.map((u) => `"${u}"`).join(', ')}; the columns are: ${IMPORT_COLUMNS.join(', ')}.`);
  }
  if (!header.includes('email') && !header.includes('phone') && !header.includes('external_id')) {
    throw new InvalidInput('The CSV file needs an email, phone or external_id column.');
  }
  const out: ParsedImport = { valid: [], invalid: [] };
  records.slice(1).forEach((cells, i) => {
    const row = i + 2;
    if (cells.every((c) => c.trim() === '')) return;
    const record: Record<string, string> = {};
    header.forEach((h, k) => (record[h] = cells[k] ?? ''));
    const flags = z.object({ previously_mailed: Flag.optional(), no_mailings: Flag.optional() }).safeParse(record);
    if (!flags.success) {
      out.invalid.push({ row, error: describeIssues(flags.error, `row ${row}`) });
      return;
    }
    const parsed = ImportRowSchema.safeParse(CsvRecordSchema.parse(record));
    if (parsed.success) out.valid.push({ row, data: parsed.data });
    else out.invalid.push({ row, error: describeIssues(parsed.error, `row ${row}`) });
  });
  return out;
}

/** RFC 4180: quoted fields may hold the delimiter, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === delimiter) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
