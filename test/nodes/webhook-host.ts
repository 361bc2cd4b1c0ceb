// A stand-in for n8n's webhook server, for browser tests: node:http on 127.0.0.1 that turns each
// request into the item n8n's Webhook node outputs (headers, params, query, body, webhookUrl,
// executionMode), runs the workflow from the Webhook node for that method in the real n8n engine
// (runWorkflow), and answers with what Respond to Webhook sent, plus the sandbox CSP n8n puts on
// webhook HTML (n8n-core html-sandbox). The full n8n server is the end-to-end tests' job.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getHtmlSandboxCSP } from 'n8n-core';
import type { IDataObject } from 'n8n-workflow';
import { runWorkflow, type RunWorkflowOptions, type WorkflowJson } from '../support/n8n-engine';

export interface WebhookHost {
  /** http://127.0.0.1:<port>/webhook */
  readonly baseUrl: string;
  /** Method, path and status of every request answered, in order. */
  readonly calls: string[];
  close(): Promise<void>;
}

export async function startWebhookHost(settings: {
  workflow: WorkflowJson;
  /** The Webhook node that receives each method, e.g. { GET: 'Confirm link (GET)', POST: 'Confirm link (POST)' }. */
  startNodes: Record<string, string>;
  options: RunWorkflowOptions;
}): Promise<WebhookHost> {
  const calls: string[] = [];
  let baseUrl = '';
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = req.method ?? 'GET';
      const startNode = settings.startNodes[method];
      if (!startNode) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end(`This webhook is not registered for ${method}`);
        calls.push(`${method} ${url.pathname} 404`);
        return;
      }
      const raw = await readBody(req);
      const item: IDataObject = {
        headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' } as IDataObject,
        params: {},
        query: grouped(url.searchParams),
        body: /^application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '') ? grouped(new URLSearchParams(raw)) : {},
        webhookUrl: `${baseUrl.replace(/\/webhook$/, '')}${url.pathname}`,
        executionMode: 'production',
      };
      const result = await runWorkflow(settings.workflow, { ...settings.options, startNode, items: [item] });
      const response = result.responses[0];
      if (!response) throw new Error(`the workflow sent no response (status ${result.status}: ${result.error?.message ?? ''})`);
      const headers: Record<string, string | string[]> = { ...(response.headers as Record<string, string>) };
      headers['content-security-policy'] = [String(headers['content-security-policy'] ?? ''), getHtmlSandboxCSP()].filter(Boolean);
      res.writeHead(Number(response.statusCode ?? 200), headers);
      res.end(method === 'HEAD' ? undefined : String(response.body ?? ''));
      calls.push(`${method} ${url.pathname} ${response.statusCode}`);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`webhook host error: ${String(error)}`);
      calls.push(`${req.method} ${req.url} 500 ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  return {
    baseUrl,
    calls,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Form and query fields as n8n gives them: one value as a string, a repeated one as a list. */
function grouped(params: URLSearchParams): IDataObject {
  const out: IDataObject = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
