import { isIP } from 'node:net';
import { z } from 'zod/v4';
import { LINK_PATHS, type LinkKind } from '../links';

/** Reading a link request as the host hands it over: which link, the method, headers, query and form. */

export const LINK_KINDS = Object.keys(LINK_PATHS) as [LinkKind, ...LinkKind[]];
export const ALLOWED_METHODS = ['GET', 'HEAD', 'POST'] as const;

const StringOrList = z.union([z.string(), z.array(z.string())]);

export const LinkRequestSchema = z
  .object({
    method: z
      .string()
      .trim()
      .min(1, 'give the HTTP method')
      .max(20)
      .transform((m) => m.toUpperCase()),
    /** Which link: confirm, unsubscribe, preferences, erase or access. Or give `path` and it is read from its last segment. */
    kind: z.enum(LINK_KINDS).optional(),
    path: z.string().max(2000).optional(),
    query: z.record(z.string(), z.unknown()).default({}),
    /** The form as the host parsed it, or the raw body (urlencoded or multipart). */
    body: z.union([z.string(), z.instanceof(Uint8Array), z.record(z.string(), z.unknown()), z.null()]).optional(),
    headers: z.record(z.string(), StringOrList.optional()).default({}),
    ip: z.string().trim().max(100).optional(),
  })
  .refine((r) => Boolean(r.kind ?? kindFromPath(r.path)), {
    message: 'give kind (confirm, unsubscribe, preferences, erase or access) or a path that ends in one of them',
    path: ['kind'],
  });
export type LinkRequest = z.input<typeof LinkRequestSchema>;

export type Form = Map<string, string[]>;

export function isAllowed(method: string): method is (typeof ALLOWED_METHODS)[number] {
  return (ALLOWED_METHODS as readonly string[]).includes(method);
}

export function kindFromPath(path: string | undefined): LinkKind | undefined {
  if (!path) return undefined;
  const last = path.split('?')[0].replace(/\/+$/, '').split('/').pop() ?? '';
  return LINK_KINDS.find((k) => LINK_PATHS[k] === last);
}

export function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

/** The link's token: in the query (a link opened), else in the posted form (a button pressed). */
export function tokenOf(query: Record<string, unknown>, form: Form): string | undefined {
  return firstString(query.token) ?? form.get('token')?.[0];
}

export function header(headers: Record<string, string | string[] | undefined>, name: string): string | undefined {
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(', ') : value;
  }
  return undefined;
}

export function acceptLanguageOf(request: unknown): string | undefined {
  const headers = (request as { headers?: unknown } | null)?.headers;
  if (!headers || typeof headers !== 'object') return undefined;
  const value = header(headers as Record<string, string | string[] | undefined>, 'accept-language');
  return typeof value === 'string' ? value : undefined;
}

export function isHead(request: unknown): boolean {
  const method = (request as { method?: unknown } | null)?.method;
  return typeof method === 'string' && method.trim().toUpperCase() === 'HEAD';
}

/** An IPv4-mapped IPv6 address is stored as the IPv4 address it is; anything not an IP is left out. */
export function evidenceIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const plain = ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isIP(plain) ? plain : undefined;
}

/** The form fields, from a host-parsed object or the raw body (urlencoded or multipart/form-data). */
export function readForm(body: unknown, contentType: string | undefined): Form {
  const form: Form = new Map();
  const add = (key: string, value: unknown) => {
    if (typeof value === 'string') form.set(key, [...(form.get(key) ?? []), value]);
    else if (Array.isArray(value)) value.forEach((v) => add(key, v));
  };
  if (body instanceof Uint8Array) body = Buffer.from(body).toString('utf8');
  if (typeof body === 'string') {
    const boundary = /^multipart\/form-data\b.*?;\s*boundary=(?:"([^"]+)"|([^\s;]+))/i.exec(contentType ?? '');
    if (boundary) {
      for (const [key, value] of readMultipart(body, boundary[1] ?? boundary[2])) add(key, value);
    } else {
      for (const [key, value] of new URLSearchParams(body)) add(key, value);
    }
  } else if (body && typeof body === 'object') {
    for (const [key, value] of Object.entries(body)) add(key, value);
  }
  return form;
}

/** RFC 7578: text fields only; files are not part of any of our forms. */
function readMultipart(body: string, boundary: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const part of body.split(`--${boundary}`)) {
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) continue;
    const head = part.slice(0, split);
    const name = /content-disposition:\s*form-data;[^\r\n]*?\bname="([^"]*)"/i.exec(head);
    if (!name || /\bfilename=/i.test(head)) continue;
    fields.push([name[1], part.slice(split + 4).replace(/\r\n$/, '')]);
  }
  return fields;
}
