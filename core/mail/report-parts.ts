import { firstHeader, headerBlockEnd, parseContentType, parseHeaderBlock, type HeaderMap } from './headers';

/**
 * The machine-readable parts of a `multipart/report` (RFC 6522) read from its raw body: the
 * `message/feedback-report` of an abuse report (RFC 5965 §2) and the message it reports, either
 * whole (`message/rfc822`) or its header only (`text/rfc822-headers`). mailparser flattens an
 * embedded message into its own parts and never hands over its header, so the few reports we act
 * on are split here, on the top-level boundary only. Reports are small; the body is capped.
 */
export interface ReportParts {
  /** The `message/feedback-report` part (RFC 5965 §3), its fields as text; null when absent. */
  feedbackReport: string | null;
  /** The reported (or returned) message: its header and its body text (raw, transfer encoding undone). */
  reportedMessage: { headers: HeaderMap; text: string } | null;
}

const FEEDBACK_TYPES = new Set(['message/feedback-report']);
const EMBEDDED_TYPES = new Set(['message/rfc822', 'text/rfc822-headers', 'message/global', 'message/global-headers']);

export function readReportParts(body: Buffer, boundary: string | undefined, maxBytes: number): ReportParts {
  const parts: ReportParts = { feedbackReport: null, reportedMessage: null };
  if (!boundary) return parts;
  const text = body.subarray(0, maxBytes).toString('latin1');
  const delimiter = `--${boundary}`;
  const sections = text.split(new RegExp(`(?:^|\\r?\\n)${escapeRegExp(delimiter)}(?:--)?[ \\t]*(?=\\r?\\n|$)`));
  // The first section is the preamble, the last after the closing delimiter the epilogue.
  for (const section of sections.slice(1)) {
    const raw = Buffer.from(section.replace(/^\r?\n/, ''), 'latin1');
    const end = headerBlockEnd(raw);
    const mimeHeaders = parseHeaderBlock(raw.subarray(0, end));
    const type = parseContentType(firstHeader(mimeHeaders, 'content-type')).type;
    if (!FEEDBACK_TYPES.has(type) && !EMBEDDED_TYPES.has(type)) continue;
    const content = decodeTransfer(raw.subarray(end), firstHeader(mimeHeaders, 'content-transfer-encoding'));
    if (FEEDBACK_TYPES.has(type)) {
      parts.feedbackReport ??= content.toString('utf8');
    } else if (!parts.reportedMessage) {
      const innerEnd = headerBlockEnd(content);
      parts.reportedMessage = { headers: parseHeaderBlock(content.subarray(0, innerEnd)), text: content.subarray(innerEnd).toString('utf8') };
    }
  }
  return parts;
}

function decodeTransfer(raw: Buffer, encoding: string | undefined): Buffer {
  const kind = (encoding ?? '7bit').trim().toLowerCase();
  if (kind === 'base64') return Buffer.from(raw.toString('latin1').replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
  if (kind === 'quoted-printable') {
    const text = raw.toString('latin1').replace(/=\r?\n/g, '');
    return Buffer.from(text.replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1');
  }
  return raw;
}

function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
