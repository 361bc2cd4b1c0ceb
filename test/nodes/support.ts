// Shared pieces of the node tests: our node classes by the type names n8n gives them
// (`n8n-nodes-consent.<name>`), the credential types, and workflow JSON in the shape n8n exports.
import { NodeConnectionTypes, type IConnections, type INode, type INodeCredentials } from 'n8n-workflow';
import { ConsentLedgerApi } from '../../credentials/ConsentLedgerApi.credentials';
import { ConsentSmtpApi } from '../../credentials/ConsentSmtpApi.credentials';
import { CheckOptIn } from '../../nodes/CheckOptIn/CheckOptIn.node';
import { ConfirmToken } from '../../nodes/ConfirmToken/ConfirmToken.node';
import { ConsentLedger } from '../../nodes/ConsentLedger/ConsentLedger.node';
import { EraseContact } from '../../nodes/EraseContact/EraseContact.node';
import { RequestConsent } from '../../nodes/RequestConsent/RequestConsent.node';
import { Unsubscribe } from '../../nodes/Unsubscribe/Unsubscribe.node';
import { HARNESS_START_TYPE, type RunWorkflowOptions, type WorkflowJson } from '../support/n8n-engine';
import { SECRET } from '../support/ledger';

export const PACKAGE = 'n8n-nodes-consent';

export const NODE_TYPES: RunWorkflowOptions['nodeTypes'] = {
  [`${PACKAGE}.checkOptIn`]: CheckOptIn,
  [`${PACKAGE}.requestConsent`]: RequestConsent,
  [`${PACKAGE}.confirmToken`]: ConfirmToken,
  [`${PACKAGE}.unsubscribe`]: Unsubscribe,
  [`${PACKAGE}.eraseContact`]: EraseContact,
  [`${PACKAGE}.consentLedger`]: ConsentLedger,
};

export const CREDENTIAL_TYPES = [ConsentLedgerApi, ConsentSmtpApi];

export const ORGANISATION = 'Voorbeeld BV';
export const PRIVACY_URL = 'https://voorbeeld.example/privacy';
export const BASE_URL = 'https://n8n.voorbeeld.example/webhook/consent';

/** The Consent Ledger credential as n8n stores it (plain data; the form's defaults apply). */
export function ledgerCredential(path: string, more: Record<string, unknown> = {}) {
  return {
    store: 'sqlite',
    sqlitePath: path,
    secret: SECRET,
    baseUrl: BASE_URL,
    organisation: ORGANISATION,
    privacyUrl: PRIVACY_URL,
    defaultLocale: 'nl',
    ...more,
  };
}

export function runOptions(credentials: RunWorkflowOptions['credentials'], more: Partial<RunWorkflowOptions> = {}): RunWorkflowOptions {
  return { nodeTypes: NODE_TYPES, credentialTypes: CREDENTIAL_TYPES, credentials, ...more };
}

let position = 0;

/** A node as n8n exports it. `type` is our node's short name or a full type name. */
export function node(name: string, type: string, parameters: INode['parameters'] = {}, more: Partial<INode> = {}): INode {
  position += 220;
  const full = type.includes('.') ? type : `${PACKAGE}.${type}`;
  const credentials: INodeCredentials | undefined = full.startsWith(`${PACKAGE}.`) ? { consentLedgerApi: { id: '1', name: 'Consent Ledger account' } } : undefined;
  if (credentials && full === `${PACKAGE}.requestConsent`) credentials.consentSmtpApi = { id: '2', name: 'Consent SMTP account' };
  return {
    id: `${name.toLowerCase().replace(/\W+/g, '-')}-id`,
    name,
    type: full,
    typeVersion: 1,
    position: [position, 0],
    parameters,
    ...(credentials ? { credentials } : {}),
    ...more,
  };
}

export function start(): INode {
  return { id: 'start-id', name: 'Start', type: HARNESS_START_TYPE, typeVersion: 1, position: [0, 0], parameters: {} };
}

/** connections: [from, to, fromOutput?] triples, as n8n's `connections` map. */
export function workflow(nodes: INode[], links: Array<[string, string, number?]>): WorkflowJson {
  const connections: IConnections = {};
  for (const [from, to, output = 0] of links) {
    const main = (connections[from] ??= { main: [] }).main;
    while (main.length <= output) main.push([]);
    main[output]!.push({ node: to, type: NodeConnectionTypes.Main, index: 0 });
  }
  return { name: 'consent test', nodes, connections };
}

/** The Consent SMTP credential for a test SMTP peer on 127.0.0.1 (no TLS there). */
export function smtpCredential(port: number, more: Record<string, unknown> = {}) {
  return { host: '127.0.0.1', port, secure: false, requireTls: false, from: `${ORGANISATION} <news@voorbeeld.example>`, ...more };
}

/** The token in a link of ours (…/confirm?token=…). */
export function tokenOf(url: string): string {
  const token = new URL(url).searchParams.get('token');
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

/** The headers every link page carries; Respond to Webhook sends each from the item. */
export const PAGE_HEADERS = [
  'Content-Type',
  'Content-Security-Policy',
  'Cache-Control',
  'Referrer-Policy',
  'X-Frame-Options',
  'X-Content-Type-Options',
  'X-Robots-Tag',
  'Content-Language',
];

/** Respond to Webhook as the README says to set it up behind Confirm Token and Unsubscribe. */
export function respondToWebhook(): INode {
  return node(
    'Respond to Webhook',
    'n8n-nodes-base.respondToWebhook',
    {
      respondWith: 'text',
      responseBody: '={{ $json.html }}',
      options: {
        responseCode: '={{ $json.status }}',
        responseHeaders: { entries: PAGE_HEADERS.map((name) => ({ name, value: `={{ $json.headers["${name}"] }}` })) },
      },
    },
    { typeVersion: 1.5 },
  );
}

/** n8n's Webhook node for one method (or several: then one output per method, in that order). */
export function webhook(name: string, path: string, httpMethod: string | string[]): INode {
  const multiple = Array.isArray(httpMethod);
  return node(
    name,
    'n8n-nodes-base.webhook',
    { ...(multiple ? { multipleMethods: true } : {}), httpMethod, path, responseMode: 'responseNode', options: {} },
    { typeVersion: 2.1, webhookId: `00000000-0000-4000-8000-${String(++position).padStart(12, '0')}` },
  );
}

/**
 * A link workflow: GET and POST Webhook nodes on one path → the handler → Respond to Webhook.
 * (n8n's "Allow Multiple HTTP Methods" gives one node with a GET and a POST output instead; the
 * engine harness can only start a run on a node's first output, so the tests use two nodes.)
 */
export function linkWorkflow(path: string, handler: INode): WorkflowJson {
  return workflow(
    [webhook('Link (GET)', path, 'GET'), webhook('Link (POST)', path, 'POST'), handler, respondToWebhook()],
    [
      ['Link (GET)', handler.name],
      ['Link (POST)', handler.name],
      [handler.name, 'Respond to Webhook'],
    ],
  );
}

/** The item n8n's Webhook node outputs for a request. */
export function webhookItem(request: { query?: Record<string, unknown>; body?: Record<string, unknown>; headers?: Record<string, string>; path: string }) {
  return {
    headers: { host: 'n8n.voorbeeld.example', 'user-agent': 'Mozilla/5.0 (Test)', 'accept-language': 'nl-NL,nl;q=0.9', ...(request.headers ?? {}) },
    params: {},
    query: request.query ?? {},
    body: request.body ?? {},
    webhookUrl: `https://n8n.voorbeeld.example/webhook/${request.path}`,
    executionMode: 'production',
  };
}
