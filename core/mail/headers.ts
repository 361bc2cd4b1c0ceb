import { InvalidInput } from '../errors';

/**
 * The header block of a mail as the classifier reads it: lower-case names, each with its values in
 * order, unfolded (RFC 5322 §2.2.3) but not decoded. Kept apart from the MIME parser so that
 * header rules (RFC 3834 auto-replies, RFC 3464 reports, Authentication-Results) always see the
 * message's own top-level headers, whichever way the body was fetched.
 */
export type HeaderMap = ReadonlyMap<string, readonly string[]>;

/** Where the header block ends: the first empty line. */
export function headerBlockEnd(source: Buffer): number {
  const crlf = source.indexOf('\r\n\r\n');
  const lf = source.indexOf('\n\n');
  if (crlf < 0 && lf < 0) return source.length;
  if (crlf < 0) return lf + 2;
  if (lf < 0) return crlf + 4;
  return Math.min(crlf + 4, lf + 2);
}

export function parseHeaderBlock(block: Buffer | string, maxBytes = 1024 * 1024): HeaderMap {
  const text = (typeof block === 'string' ? block : block.subarray(0, maxBytes).toString('utf8')).slice(0, maxBytes);
  const headers = new Map<string, string[]>();
  let name: string | undefined;
  let value = '';
  const flush = () => {
    if (name === undefined) return;
    const values = headers.get(name) ?? [];
    values.push(value.trim());
    headers.set(name, values);
    name = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (name !== undefined) value += ' ' + line.trim();
      continue;
    }
    flush();
    const colon = line.indexOf(':');
    if (colon <= 0) continue; // not a header field; a malformed line is skipped, not fatal
    name = line.slice(0, colon).trim().toLowerCase();
    value = line.slice(colon + 1);
  }
  flush();
  return headers;
}

export function headerMapFrom(entries: Iterable<[string, string | readonly string[]]>): HeaderMap {
  const headers = new Map<string, string[]>();
  for (const [key, value] of entries) {
    const name = key.trim().toLowerCase();
    const list = headers.get(name) ?? [];
    list.push(...(typeof value === 'string' ? [value] : value).map((v) => String(v).replace(/\r?\n[ \t]*/g, ' ').trim()));
    headers.set(name, list);
  }
  return headers;
}

export function firstHeader(headers: HeaderMap, name: string): string | undefined {
  return headers.get(name)?.[0];
}

/** RFC 2045 §5.1: `type/subtype; param=value; ...`, lower-case type and parameter names. */
export function parseContentType(value: string | undefined): { type: string; params: Record<string, string> } {
  if (!value) return { type: 'text/plain', params: {} };
  const [head, ...rest] = splitParams(value);
  const params: Record<string, string> = {};
  for (const part of rest) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    params[part.slice(0, eq).trim().toLowerCase()] = part.slice(eq + 1).trim().replace(/^"(.*)"$/s, '$1');
  }
  return { type: head.trim().toLowerCase() || 'text/plain', params };
}

function splitParams(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (const ch of value) {
    if (ch === '"') quoted = !quoted;
    if (ch === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts;
}

/** RFC 2047 encoded words (`=?UTF-8?B?...?=`, `=?iso-8859-1?Q?...?=`); whitespace between two of them is dropped (§6.2). */
export function decodeEncodedWords(value: string): string {
  return value
    .replace(/(=\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)\s+(?==\?[^?\s]+\?[BbQq]\?[^?\s]*\?=)/g, '$1')
    .replace(/=\?([^?\s]+)\?([BbQq])\?([^?\s]*)\?=/g, (whole, charset: string, encoding: string, data: string) => {
      try {
        const bytes =
          encoding.toUpperCase() === 'B'
            ? Buffer.from(data, 'base64')
            : Buffer.from(
                data.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
                'latin1',
              );
        return new TextDecoder(charset.replace(/\*.*$/, '').toLowerCase()).decode(bytes);
      } catch {
        return whole;
      }
    });
}

/** Message-IDs in a header (`<a@b> <c@d>`), in order. */
export function messageIdsIn(value: string | undefined): string[] {
  return value ? (value.match(/<[^<>\s]+>/g) ?? []) : [];
}

/**
 * RFC 5322 has no line breaks inside a field value: a CR or LF would start a new header (header
 * injection). Every header we write goes through here.
 */
export function assertHeaderSafe(field: string, value: string): string {
  if (/[\r\n]/.test(value)) {
    throw new HeaderInjection(field);
  }
  return value;
}


export class HeaderInjection extends InvalidInput {
  constructor(readonly field: string) {
    super(`${field}: contains a line break (CR or LF), which is not allowed in a mail header; remove line breaks from this value.`);
  }
}
