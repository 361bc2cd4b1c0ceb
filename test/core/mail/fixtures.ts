import { randomUUID } from 'node:crypto';

/**
 * Raw RFC 5322 mails for tests, the way mail clients write them: CRLF line ends, a non-ASCII
 * subject as an RFC 2047 encoded word, 8-bit text as quoted-printable.
 */
export interface MailSpec {
  from?: string;
  to?: string;
  subject?: string;
  /** Put verbatim in the Subject header (e.g. your own encoded words). */
  rawSubject?: string;
  text?: string;
  html?: string;
  headers?: Record<string, string>;
  messageId?: string | null;
  date?: string;
  attachment?: { filename: string; contentType: string; base64Lines: Iterable<string> };
}

export function encodeSubject(subject: string): string {
  return /^[\x20-\x7e]*$/.test(subject) ? subject : `=?UTF-8?B?${Buffer.from(subject, 'utf8').toString('base64')}?=`;
}

export function quotedPrintable(text: string): string {
  const bytes = Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8');
  let out = '';
  let line = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0d && bytes[i + 1] === 0x0a) {
      out += `${line}\r\n`;
      line = '';
      i++;
      continue;
    }
    const piece = (b >= 33 && b <= 126 && b !== 61) || b === 32 ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`;
    if (line.length + piece.length > 72) {
      out += `${line}=\r\n`;
      line = '';
    }
    line += piece;
  }
  return out + line;
}

export function rawMail(spec: MailSpec = {}): string {
  const head: string[] = [
    `From: ${spec.from ?? 'Jan Jansen <jan@example.nl>'}`,
    `To: ${spec.to ?? 'privacy@shop.example'}`,
    `Subject: ${spec.rawSubject ?? encodeSubject(spec.subject ?? '')}`,
    `Date: ${spec.date ?? 'Mon, 23 Nov 2026 09:00:00 +0100'}`,
  ];
  if (spec.messageId !== null) head.push(`Message-ID: ${spec.messageId ?? `<${randomUUID()}@example.nl>`}`);
  for (const [k, v] of Object.entries(spec.headers ?? {})) head.push(`${k}: ${v}`);
  head.push('MIME-Version: 1.0');
  const parts: string[] = [];
  if (spec.text !== undefined) parts.push(`Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(spec.text)}`);
  if (spec.html !== undefined) parts.push(`Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${quotedPrintable(spec.html)}`);
  if (parts.length === 0) parts.push('Content-Type: text/plain; charset=utf-8\r\n\r\n');
  let body: string;
  if (parts.length === 1 && !spec.attachment) {
    return `${head.join('\r\n')}\r\n${parts[0]}\r\n`;
  }
  const boundary = `b-${randomUUID()}`;
  if (parts.length > 1) {
    const alt = `a-${randomUUID()}`;
    body = `Content-Type: multipart/alternative; boundary="${alt}"\r\n\r\n${parts.map((p) => `--${alt}\r\n${p}\r\n`).join('')}--${alt}--\r\n`;
  } else body = parts[0];
  if (!spec.attachment) return `${head.join('\r\n')}\r\n${body}`;
  const a = spec.attachment;
  const attachment = `Content-Type: ${a.contentType}; name="${a.filename}"\r\nContent-Disposition: attachment; filename="${a.filename}"\r\nContent-Transfer-Encoding: base64\r\n\r\n${[...a.base64Lines].join('\r\n')}\r\n`;
  return `${head.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n--${boundary}\r\n${body}\r\n--${boundary}\r\n${attachment}--${boundary}--\r\n`;
}

/** An RFC 3464 delivery status notification for `recipient`. */
export function dsnMail(recipient: string, status: string, action = status.startsWith('5') ? 'failed' : 'delayed', messageId?: string): string {
  const boundary = `r-${randomUUID()}`;
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.shop.example>',
    'To: privacy@shop.example',
    'Subject: Undelivered Mail Returned to Sender',
    'Date: Mon, 23 Nov 2026 09:00:00 +0100',
    `Message-ID: ${messageId ?? `<${randomUUID()}@mx.shop.example>`}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.shop.example.',
    "I'm sorry to have to inform you that your message could not be delivered. Afmelden? Unsubscribe here.",
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.shop.example',
    'Arrival-Date: Mon, 23 Nov 2026 08:59:00 +0100',
    '',
    `Final-Recipient: rfc822; ${recipient}`,
    `Original-Recipient: rfc822;${recipient}`,
    `Action: ${action}`,
    `Status: ${status}`,
    `Diagnostic-Code: smtp; ${status.startsWith('5') ? '550 5.1.1 <' + recipient + '>: Recipient address rejected: User unknown' : '451 4.2.0 try again later'}`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    'From: Nieuwsbrief <nieuws@shop.example>',
    `To: ${recipient}`,
    'Subject: Nieuwsbrief november',
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/**
 * The kind of mail that once stopped the mailbox for good: a MIME part with an empty Content-Type
 * (mailparser handed it over untyped and our handler threw inside its event). About 240 bytes.
 */
export function poisonMail(messageId = '<poison-part@example.nl>', from = 'Jan Jansen <jan@example.nl>'): string {
  return [`From: ${from}`, 'To: privacy@shop.example', 'Subject: afmelden', `Message-ID: ${messageId}`, 'MIME-Version: 1.0', 'Content-Type: multipart/mixed; boundary="b"', '', '--b', 'Content-Type:', '', 'afmelden graag', '--b--', ''].join('\r\n');
}

/** A request whose References carry one entry over 998 characters: no reply can be composed to it. */
export function longReferencesMail(messageId = '<long-refs@example.nl>', from = 'Jan Jansen <jan@example.nl>'): string {
  return rawMail({ messageId, from, subject: 'Afmelden', headers: { References: `<${'r'.repeat(1200)}@example.nl>` } });
}
