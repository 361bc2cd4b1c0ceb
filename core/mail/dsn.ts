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
