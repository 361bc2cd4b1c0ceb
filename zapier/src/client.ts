import type { Bundle, HttpResponse, ZObject } from 'zapier-platform-core';

/**
 * One call to the consent service (n8n-consent serve): the Zap's connection gives the service URL
 * and the API key. The service's own error words reach the Zap user, with what to do next; the
 * status decides which of Zapier's errors it becomes (429: a throttle Zapier retries later).
 */
export async function api<T = Record<string, unknown>>(
  z: ZObject,
  bundle: Bundle,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  options: { json?: unknown; params?: Record<string, string>; /** Statuses that are an answer here, not an error. */ accept?: number[] } = {},
): Promise<T> {
  const response = await z.request({
    url: `${serviceUrl(bundle.authData.serviceUrl)}${path}`,
    method,
    params: options.params,
    headers: {
      Authorization: `Bearer ${String(bundle.authData.apiKey ?? '').trim()}`,
      Accept: 'application/json',
      ...(options.json === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    body: options.json === undefined ? undefined : JSON.stringify(options.json),
    skipThrowForStatus: true,
    // The service's own words for a 429 (which limit, when to retry), not the platform's generic one.
    throwForThrottlingEarly: false,
  } as Parameters<ZObject['request']>[0]);
  if (response.status >= 400 && !options.accept?.includes(response.status)) throw serviceError(z, response, path);
  return (response.status === 204 || !response.content ? {} : response.data) as T;
}

/** The service URL as the user typed it, checked: http(s), no path past the host, no trailing slash. */
export function serviceUrl(value: unknown): string {
  const text = String(value ?? '').trim().replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`Service URL: "${text}" is not a URL; give the address n8n-consent serve is reached at, e.g. https://consent.example.nl`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('Service URL: give an http:// or https:// address');
  return text;
}

const SCOPE_OF: Record<string, string> = {
  '/v1/request': 'request',
  '/v1/check': 'check',
  '/v1/unsubscribe': 'unsubscribe',
  '/v1/erase': 'erase',
  '/v1/events': 'events',
  '/v1/hooks': 'hooks',
};

function serviceError(z: ZObject, response: HttpResponse, path: string): Error {
  let message = '';
  let code = `HTTP_${response.status}`;
  try {
    const body = JSON.parse(response.content) as { error?: { code?: string; message?: string } };
    message = body.error?.message ?? '';
    code = body.error?.code ?? code;
  } catch {
    message = '';
  }
  const said = message || `the service answered ${response.status}`;
  const scope = SCOPE_OF[path.split('/').slice(0, 3).join('/')];
  switch (response.status) {
    case 401:
      return new z.errors.Error(`The consent service refused the API key: ${said}. Reconnect with a key from "n8n-consent keys create".`, code, 401);
    case 403:
      return new z.errors.Error(
        `This API key may not do this: ${said}.${scope ? ` Make a key with the "${scope}" scope (n8n-consent keys create --scope ${scope}) and reconnect.` : ''}`,
        code,
        403,
      );
    case 429: {
      const wait = Number(response.getHeader('retry-after'));
      return new z.errors.ThrottledError(`The consent service is limiting calls: ${said}.`, Number.isFinite(wait) && wait > 0 ? wait : 60);
    }
    default:
      if (response.status < 500) return new z.errors.Error(`The consent service did not accept this: ${said}.`, code, response.status);
      return new z.errors.Error(`The consent service failed (${response.status}): ${said}. Try again later.`, code, response.status);
  }
}
