import { normaliseEmail } from '../consent/identity';

/**
 * Delivery status notifications (RFC 3464): a `multipart/report; report-type=delivery-status`
 * whose `message/delivery-status` part holds one block of per-message fields, then one block per
 * recipient. A recipient whose Action is `failed` with a 5.x.x Status (RFC 3463) is a hard bounce;
 * 4.x.x is transient (soft) and changes nothing.
 */
export interface BouncedRecipient {
  address: string;
  action: string;
  status: string;
  isHard: boolean;
  diagnostic: string | null;
}

export function parseDeliveryStatus(text: string): BouncedRecipient[] {
  const blocks = text
    .replace(/\r\n/g, '\n')
    .split(/\n[ \t]*\n/)
    .map(parseFields);
  const recipients: BouncedRecipient[] = [];
  for (const fields of blocks) {
    const recipient = fields.get('final-recipient') ?? fields.get('original-recipient');
    if (!recipient) continue;
    const address = normaliseEmail(addressOf(recipient));
    if (!address) continue;
    const action = (fields.get('action') ?? '').trim().toLowerCase();
    const status = (/\d\.\d{1,3}\.\d{1,3}/.exec(fields.get('status') ?? '') ?? [''])[0];
    recipients.push({
      address,
      action,
      status,
      isHard: action === 'failed' && status.startsWith('5'),
      diagnostic: fields.get('diagnostic-code')?.slice(0, 500) ?? null,
    });
  }
  return recipients;
}

function parseFields(block: string): Map<string, string> {
  const fields = new Map<string, string>();
  let last: string | undefined;
  for (const line of block.split('\n')) {
    if (/^[ \t]/.test(line) && last) {
      fields.set(last, `${fields.get(last)} ${line.trim()}`);
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    last = line.slice(0, colon).trim().toLowerCase();
    if (!fields.has(last)) fields.set(last, line.slice(colon + 1).trim());
  }
  return fields;
}

/** `rfc822; someone@example.com` (RFC 3464 §2.3.2), or `utf-8; …` (RFC 6533). */
function addressOf(value: string): string {
  const semi = value.indexOf(';');
  return (semi >= 0 ? value.slice(semi + 1) : value).trim().replace(/^<|>$/g, '');
}

/**
 * Non-delivery notices without a delivery-status part: qmail ("Hi. This is the qmail-send program
 * at …" then `<someone@example.com>:` and the remote server's words), Yahoo's and other qmail-style
 * notices, Exim ("The following address(es) failed:" and an indented address), old Sendmail
 * ("----- The following addresses had permanent fatal errors -----") and Gmail's old "Delivery to
 * the following recipient failed permanently". Hard only when the notice says so: a 5.x.x status
 * or a 5xx reply next to the address, or the notice's own "permanent" sentence; otherwise soft
 * (nothing changes). `failedRecipients` is Exim's X-Failed-Recipients header.
 */
export function parseBounceNotice(text: string, failedRecipients: readonly string[] = []): BouncedRecipient[] {
  const body = text.replace(/\r\n/g, '\n').slice(0, 64 * 1024);
  const isPermanent = /\b(this is a permanent error|permanent fatal errors?|failed permanently|permanent failure|permanently rejected|could not be delivered to one or more|hard bounce)\b/i.test(body);
  const isTransient = /\b(temporary (failure|error)|will (keep|continue) trying|has not yet been delivered|delayed|not been delivered yet)\b/i.test(body);
  const found = new Map<string, { diagnostic: string }>();
  const note = (raw: string, diagnostic: string) => {
    const address = normaliseEmail(raw.trim().replace(/^<|>:?$/g, '').replace(/>$/, ''));
    if (address && !found.has(address)) found.set(address, { diagnostic: diagnostic.trim().slice(0, 500) });
  };
  const lines = body.split('\n');
  // qmail and its kin: "<someone@example.com>:" alone on a line, the server's words below it.
  lines.forEach((line, i) => {
    const m = /^\s*<([^<>\s]+@[^<>\s]+)>:\s*(.*)$/.exec(line);
    if (m) note(m[1], [m[2], ...untilBlank(lines, i + 1)].join(' '));
  });
  // Exim, Sendmail, Gmail: the addresses in the lines after the heading sentence.
  const headings = /(following address(?:\(es\)|es)? failed|following addresses had permanent fatal errors|delivery to the following recipients? failed|could not be delivered to the following recipients?|following recipients? could not be reached|unable to deliver your message to the following address(?:es)?)/i;
  lines.forEach((line, i) => {
    if (!headings.test(line)) return;
    const block = lines.slice(i + 1, i + 40);
    let started = false;
    for (const [j, next] of block.entries()) {
      if (!next.trim()) {
        if (started) break;
        continue;
      }
      started = true;
      const m = /^\s*<?([^<>\s:;,()]+@[^<>\s:;,()]+?)>?\s*:?\s*$/.exec(next);
      if (m) note(m[1], untilBlank(block, j + 1).join(' '));
    }
  });
  for (const value of failedRecipients) for (const part of value.split(',')) note(part, '');
  return [...found].map(([address, { diagnostic }]) => {
    const status = (/\b[245]\.\d{1,3}\.\d{1,3}\b/.exec(diagnostic) ?? [''])[0];
    const code = /\b([245])\d\d\b/.exec(diagnostic)?.[1];
    const isHard = status ? status.startsWith('5') : code ? code === '5' : isPermanent && !isTransient;
    return { address, action: isHard ? 'failed' : 'delayed', status, isHard, diagnostic: diagnostic || null };
  });
}

function untilBlank(lines: string[], from: number): string[] {
  const taken: string[] = [];
  for (const line of lines.slice(from, from + 12)) {
    if (!line.trim() || /^\s*<[^<>\s]+@[^<>\s]+>:/.test(line) || /^-{3,}/.test(line)) break;
    taken.push(line.trim());
  }
  return taken;
}
