import { z } from 'zod/v4';
import { InvalidInput } from './errors';

/**
 * Parses input with a zod schema; on failure throws InvalidInput whose message names where the
 * input came from and each wrong field: "row 6, email: not an email address".
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, where?: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new InvalidInput(describeIssues(result.error, where));
}

export function describeIssues(error: z.ZodError, where?: string): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.map(String).join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
  if (error.issues.length > 5) parts.push(`and ${error.issues.length - 5} more`);
  return (where ? `${where}, ` : '') + parts.join('; ');
}

/**
 * What the ledger can store faithfully, on both dialects: no NUL (SQLite cuts text there,
 * PostgreSQL refuses it) and no other control character (U+0000–U+001F, U+007F–U+009F), and well
 * formed Unicode: a lone surrogate (half of a UTF-16 pair, e.g. from a cut-off emoji or a wrongly
 * decoded file) has no UTF-8 form, so the databases would store U+FFFD or refuse it. Free texts
 * (consent texts, descriptions, reasons) may hold tab and line breaks (LF, and CR as in a
 * browser's CRLF); one-line fields (names, ids, addresses, references) hold none of these, since
 * several end up in mail headers (U+2028/U+2029 count as line breaks there too). One rule,
 * used by every input schema through singleLine and freeText below.
 */
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\ud800-\udfff]/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function unstorable(value: string, kind: 'line' | 'text'): string | undefined {
  if (!SUSPECT.test(value)) return undefined; // the usual case: one scan, nothing to say
  for (const match of value.matchAll(CONTROL)) {
    const char = match[0];
    if (kind === 'text' && (char === '\t' || char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029')) continue;
    const code = `U+${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    if (char === '\n' || char === '\r' || char === '\u2028' || char === '\u2029') {
      return `contains a line break (${code} at character ${match.index + 1}): give it on one line`;
    }
    return `contains a control character (${code} at character ${match.index + 1}), which cannot be stored: remove it`;
  }
  const at = value.search(LONE_SURROGATE);
  if (at >= 0) {
    return `is not valid Unicode (a lone surrogate at character ${at + 1}): check how the text was encoded`;
  }
  return undefined;
}

/** The rule as a zod refinement, for a schema that shapes its text itself (an email, a phone number). */
export const refuseUnstorable = (kind: 'line' | 'text') => (value: string, ctx: z.RefinementCtx) => {
  const problem = unstorable(value, kind);
  // continue: false: a later shape check (is it an email?) would only repeat the complaint.
  if (problem) ctx.addIssue({ code: 'custom', message: problem, continue: false });
};

/** A one-line text (a name, an id, a reference): trimmed, at most `max` characters, storable. */
export function singleLine(max: number) {
  return z.string().trim().max(max).superRefine(refuseUnstorable('line'));
}

/** A free text (a consent text, a description): tab and line breaks allowed, otherwise as singleLine. */
export function freeText(max: number) {
  return z.string().trim().max(max).superRefine(refuseUnstorable('text'));
}
