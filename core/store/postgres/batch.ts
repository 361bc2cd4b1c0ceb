import type { NewEvent } from '../store';

/**
 * Batches cross set-wise: each column of a batch is one array parameter (unnest, = ANY), so a
 * batch of 100,000 items is a handful of round trips and never hits the parameter limit.
 * `unnestOf` writes the SQL that unpacks the columns and `columnsOf` the values, from the same
 * list, so the two cannot drift apart.
 */
export type ColumnType = 'bigint' | 'int' | 'text' | 'timestamptz' | 'boolean' | 'bytea';
export interface BatchColumn<R> {
  name: string;
  type: ColumnType;
  pick: (row: R) => unknown;
}

/**
 * One column of a batch as a PostgreSQL array literal, the value of one parameter (never SQL
 * text). Written here rather than by pg because a campaign sends millions of elements and pg
 * escapes every one with two regular expressions. A column with no value at all is sent empty:
 * unnest pads it with NULLs to the length of the others.
 */
export function arrayLiteral(type: ColumnType, values: readonly unknown[]): string {
  if (values.every((v) => v === null || v === undefined)) return '{}';
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) parts[i] = 'NULL';
    else if (type === 'text' || type === 'timestamptz') parts[i] = quoteElement(String(v));
    else if (type === 'boolean') parts[i] = v ? 't' : 'f';
    else if (type === 'bytea') parts[i] = `"\\\\x${(v as Buffer).toString('hex')}"`;
    else if (typeof v === 'number' && Number.isSafeInteger(v)) parts[i] = String(v);
    else throw new TypeError(`not an integer for a ${type} column: ${String(v)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Inside double quotes only " and \ need a backslash (array literal syntax). */
function quoteElement(value: string): string {
  return value.includes('"') || value.includes('\\') ? `"${value.replace(/[\\"]/g, '\\$&')}"` : `"${value}"`;
}

/** A row's list inside a column of lists: unnest cannot take an array of arrays of different lengths. */
export function textArrayLiteral(values: string[]): string {
  return `{${values.map(quoteElement).join(',')}}`;
}

export function unnestOf(columns: BatchColumn<never>[], firstParam = 1): string {
  const params = columns.map((c, i) => `$${firstParam + i}::${c.type}[]`).join(', ');
  return `unnest(${params}) WITH ORDINALITY AS u(${columns.map((c) => c.name).join(', ')}, n)`;
}

export function columnsOf<R>(columns: BatchColumn<R>[], rows: R[]): string[] {
  return columns.map((c) => arrayLiteral(c.type, rows.map(c.pick)));
}

/** The texts of a batch, once per hash: an event that only names a hash adds none. */
export function textsOf(events: NewEvent[]): [string, string] {
  const texts = new Map<string, string>();
  for (const e of events) {
    if (e.consentTextHash && e.consentText !== null && !texts.has(e.consentTextHash)) texts.set(e.consentTextHash, e.consentText);
  }
  return [arrayLiteral('text', [...texts.keys()]), arrayLiteral('text', [...texts.values()])];
}
