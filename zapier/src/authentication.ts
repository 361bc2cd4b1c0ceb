import type { Bundle, ZObject } from 'zapier-platform-core';
import { api, serviceUrl } from './client';

/**
 * Custom auth: the service's URL and an API key made with `n8n-consent keys create --scope …`.
 * The test proves the key without reading or changing the ledger: POST /v1/check with an empty
 * body is refused by the key check first (401 for a bad key; 403 when the key lacks the check
 * scope, which still proves it valid), and a valid key with the scope gets 400 (no person given).
 */
async function test(z: ZObject, bundle: Bundle) {
  const ready = await api<{ ready: boolean; dialect: string }>(z, bundle, 'GET', '/readyz');
  await api(z, bundle, 'POST', '/v1/check', { json: {}, accept: [400, 403] });
  return { host: new URL(serviceUrl(bundle.authData.serviceUrl)).host, dialect: ready.dialect };
}

export const authentication = {
  type: 'custom' as const,
  fields: [
    {
      key: 'serviceUrl',
      label: 'Service URL',
      required: true,
      type: 'string' as const,
      helpText: 'Where your consent service (`n8n-consent serve`) is reached, e.g. https://consent.example.nl (its --public-url).',
    },
    {
      key: 'apiKey',
      label: 'API Key',
      required: true,
      type: 'password' as const,
      helpText: 'A key from `n8n-consent keys create --scope request,check,unsubscribe,erase,events,hooks` (it starts with nck_). Give it only the scopes your Zaps use.',
    },
  ],
  test,
  connectionLabel: (_z: ZObject, bundle: Bundle) => `${String(bundle.inputData.host)} (${String(bundle.inputData.dialect)})`,
};
