// Shared pieces of the node tests: our node classes by the type names n8n gives them
// (`n8n-nodes-consent.<name>`), the credential types, and workflow JSON in the shape n8n exports.
import { NodeConnectionTypes, type IConnections, type INode, type INodeCredentials } from 'n8n-workflow';
import { ConsentLedgerApi } from '../../credentials/ConsentLedgerApi.credentials';
import { ConsentSmtpApi } from '../../credentials/ConsentSmtpApi.credentials';
import { CheckOptIn } from '../../nodes/CheckOptIn/CheckOptIn.node';
import { RequestConsent } from '../../nodes/RequestConsent/RequestConsent.node';
import { HARNESS_START_TYPE, type RunWorkflowOptions, type WorkflowJson } from '../support/n8n-engine';
import { SECRET } from '../support/ledger';

export const PACKAGE = 'n8n-nodes-consent';

export const NODE_TYPES: RunWorkflowOptions['nodeTypes'] = {
  [`${PACKAGE}.checkOptIn`]: CheckOptIn,
  [`${PACKAGE}.requestConsent`]: RequestConsent,
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
