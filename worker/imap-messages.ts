import type { Readable } from 'node:stream';
import type { FetchMessageObject, ImapFlow, MessageStructureObject } from 'imapflow';
import { parseHeaderBlock } from '../core/mail/headers';
import { encodedTextLimit, readRequestMail, readRequestMailFromParts, type MailLimits, type RequestMail } from '../core/mail/request-mail';

/**
 * Reading request mails from the selected mailbox. Small mails come whole, many in one FETCH;
 * a large one (an attachment of 20 MB) only as its header block and its text parts, each cut at
 * the text limit: BODYSTRUCTURE first, then BODY.PEEK[n.MIME] and BODY.PEEK[n]<0.limit>. Its full
 * source is streamed only if a DKIM check needs it. PEEK throughout: reading sets no \Seen flag.
 */
export interface FetchedMail {
  uid: number;
  size: number;
  internalDate: Date | null;
  /**
   * Parses the mail when it is its turn, so a batch holds raw bytes, not a hundred parsed mails
   * (those would live long enough to be promoted to V8's old generation and grow the heap).
   */
  load: () => Promise<RequestMail | undefined>;
  /** The raw message, for a DKIM check: the buffer we have, or a stream from the server. */
  source: () => Promise<Buffer | Readable>;
}

export interface FetchLimits extends MailLimits {
  maxWholeMessageBytes: number;
  /** Whole mails held in memory at once, at most. */
  maxBatchBytes: number;
}

const TEXT_TYPES = new Set(['text/plain', 'text/html']);
const STATUS_TYPES = new Set(['message/delivery-status', 'message/global-delivery-status']);
const MAX_TEXT_PARTS = 8;

/** Sizes and arrival times of these UIDs; ones that vanished meanwhile are simply not there. */
export async function fetchMeta(client: ImapFlow, uids: number[]): Promise<{ uid: number; size: number; internalDate: Date | null }[]> {
  if (uids.length === 0) return [];
  const rows = await client.fetchAll(uids.join(','), { uid: true, size: true, internalDate: true }, { uid: true });
  return rows
    .map((r) => ({ uid: r.uid, size: r.size ?? 0, internalDate: r.internalDate ? new Date(r.internalDate) : null }))
    .sort((a, b) => a.uid - b.uid);
}

/** A run of mails (in UID order) whose whole sources together stay under the batch budget. */
export function takeBatch<T extends { size: number }>(meta: T[], limits: FetchLimits): T[] {
  const batch: T[] = [];
  let bytes = 0;
  for (const m of meta) {
    const cost = m.size <= limits.maxWholeMessageBytes ? m.size : 0;
    if (batch.length > 0 && bytes + cost > limits.maxBatchBytes) break;
    batch.push(m);
    bytes += cost;
  }
  return batch;
}

export async function fetchRequestMails(client: ImapFlow, meta: { uid: number; size: number; internalDate: Date | null }[], limits: FetchLimits): Promise<FetchedMail[]> {
  const small = meta.filter((m) => m.size <= limits.maxWholeMessageBytes);
  const sources = new Map<number, Buffer>();
  if (small.length > 0) {
    // Collected first, parsed after: no other command may run inside a FETCH (imapflow).
    const rows = await client.fetchAll(small.map((m) => m.uid).join(','), { uid: true, source: true }, { uid: true });
    for (const row of rows) if (row.source) sources.set(row.uid, row.source);
  }
  const fetched: FetchedMail[] = [];
  for (const m of meta) {
    if (m.size <= limits.maxWholeMessageBytes) {
      const source = sources.get(m.uid);
      if (!source) continue; // expunged meanwhile by someone else
      fetched.push({ ...m, load: () => readRequestMail(source, limits), source: async () => source });
      continue;
    }
    fetched.push({
      ...m,
      load: () => readLargeMail(client, m.uid, limits),
      source: async () => {
        const download = await client.download(String(m.uid), undefined, { uid: true });
        if (!download.content) throw new Error(`message ${m.uid} is gone`);
        return download.content;
      },
    });
  }
  return fetched;
}

async function readLargeMail(client: ImapFlow, uid: number, limits: FetchLimits): Promise<RequestMail | undefined> {
  const outline = await client.fetchOne(String(uid), { uid: true, bodyStructure: true, headers: true }, { uid: true });
  if (!outline || !outline.headers || !outline.bodyStructure) return undefined;
  const maxLength = encodedTextLimit(limits);
  const structure = outline.bodyStructure;
  if (!structure.childNodes) {
    // One part: its MIME header is the message header, its body the message text.
    const row = await client.fetchOne(String(uid), { uid: true, bodyParts: [{ key: 'TEXT', maxLength }] }, { uid: true });
    const top = parseHeaderBlock(outline.headers);
    const mimeHeaders = ['content-type', 'content-transfer-encoding']
      .filter((name) => top.has(name))
      .map((name) => `${name}: ${top.get(name)![0]}\r\n`)
      .join('');
    const isText = TEXT_TYPES.has(structure.type) || STATUS_TYPES.has(structure.type);
    const body = isText ? (partOf(row, 'TEXT') ?? Buffer.alloc(0)) : Buffer.alloc(0);
    return readRequestMailFromParts(outline.headers, isText ? [{ mimeHeaders: Buffer.from(mimeHeaders), body }] : [], limits);
  }
  const wanted = textPartsOf(structure).slice(0, MAX_TEXT_PARTS);
  if (wanted.length === 0) return readRequestMailFromParts(outline.headers, [], limits);
  const row = await client.fetchOne(
    String(uid),
    { uid: true, bodyParts: wanted.flatMap((part) => [`${part}.MIME`, { key: part, maxLength }]) },
    { uid: true },
  );
  const parts = wanted.flatMap((part) => {
    const mimeHeaders = partOf(row, `${part}.MIME`);
    const body = partOf(row, part);
    return mimeHeaders && body ? [{ mimeHeaders, body }] : [];
  });
  return readRequestMailFromParts(outline.headers, parts, limits);
}

/** Text, HTML and delivery-status parts, not attachments and not inside a forwarded message. */
function textPartsOf(node: MessageStructureObject): string[] {
  if (node.type === 'message/rfc822') return [];
  if (node.childNodes) return node.childNodes.flatMap(textPartsOf);
  if (!node.part || node.disposition === 'attachment') return [];
  return TEXT_TYPES.has(node.type) || STATUS_TYPES.has(node.type) ? [node.part] : [];
}

function partOf(row: FetchMessageObject | false, key: string): Buffer | undefined {
  if (!row || !row.bodyParts) return undefined;
  const wanted = key.toLowerCase();
  for (const [k, v] of row.bodyParts) if (k.toLowerCase() === wanted) return v;
  return undefined;
}
