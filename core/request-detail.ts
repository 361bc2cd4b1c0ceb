/**
 * The request log's `detail` field, in one format for every writer (the inbox, core/inbox/, and the
 * ledger when an erasure is verified by link): `proof=dkim; reply=sent; receipt=erasure-…`,
 * readable in the request log and parsed back on a repeat.
 */
export interface RequestDetail {
  proof?: string;
  ref?: string;
  existed?: string;
  reply?: string;
  error?: string;
  receipt?: string;
  note?: string;
  /** The language the reply was written in. */
  lang?: string;
  /** senderTag, while it is needed. */
  sender?: string;
  /** `no`: the sender may not be answered (a mailer daemon, a list, ourselves): no verification link either. */
  answer?: string;
  /** A person's decision on a review mail (Act on Request): unsubscribe, erase, access or reject. */
  decision?: string;
  /** Who decided (the officer's name). */
  by?: string;
}

export function formatRequestDetail(detail: RequestDetail): string {
  return Object.entries(detail)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${String(v).replace(/[;\r\n]+/g, ',').slice(0, 300)}`)
    .join('; ');
}

export function parseRequestDetail(detail: string | null): RequestDetail {
  const out: Record<string, string> = {};
  for (const part of (detail ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return out;
}
