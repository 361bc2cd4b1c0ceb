import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleLinkRequest, kindFromPath, type LinkHooks, type LinkLedger, type LinkResponse } from '../../core/pages/handle';
import type { PageOptionsInput } from '../../core/pages/options';
import { linkFor, type LinkKind } from '../../core/links';

/**
 * A TEST harness for the link pages: node:http on 127.0.0.1 (a free port) that hands each request
 * to handleLinkRequest over a real ledger, the way the n8n nodes do behind n8n's Webhook node.
 * The product serves these pages through n8n; this only lets a real browser reach them in tests.
 * Links live under /webhook/ like n8n's, so the pages' relative links are tested as they will be used.
 */
export interface LinkServerSettings {
  ledger: LinkLedger;
  pageOptions: PageOptionsInput;
  /** 'parsed': form bodies arrive as an object (as n8n gives them); 'raw': as the body string. */
  bodyAs?: 'parsed' | 'raw';
  /** Headers the host adds on top, e.g. the sandbox CSP n8n puts on webhook HTML (n8n-core html-sandbox). */
  hostHeaders?: Record<string, string>;
  /** What the host does besides answering, e.g. the privacy request form's mailer. */
  hooks?: LinkHooks;
}

export interface LinkServer {
  readonly baseUrl: string;
  /** Every answer given, in order: what a test checks after a browser ran. */
  readonly answers: { method: string; kind: LinkKind | undefined; status: number; result: LinkResponse['result'] }[];
  /** Changeable between tests (e.g. requireClick). */
  settings: LinkServerSettings;
  link(kind: LinkKind, token: string): string;
  close(): Promise<void>;
}

export async function startLinkServer(settings: LinkServerSettings): Promise<LinkServer> {
  const answers: LinkServer['answers'] = [];
  const state = { settings };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const kind = url.pathname.startsWith('/webhook/') ? kindFromPath(url.pathname) : undefined;
      if (!kind) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
        return;
      }
      const raw = await readBody(req);
      const contentType = req.headers['content-type'] ?? '';
      const { ledger, pageOptions, bodyAs = 'parsed', hostHeaders = {}, hooks } = state.settings;
      const response = await handleLinkRequest(
        ledger,
        {
          method: req.method ?? 'GET',
          kind,
          query: toRecord(url.searchParams),
          body: bodyAs === 'parsed' && /^application\/x-www-form-urlencoded/i.test(contentType) ? toRecord(new URLSearchParams(raw)) : raw,
          headers: req.headers,
          ip: req.socket.remoteAddress,
        },
        pageOptions,
        hooks,
      );
      answers.push({ method: req.method ?? '', kind, status: response.status, result: response.result });
      // A host header of the same name is sent as a second line: browsers enforce both CSPs.
      const headers: Record<string, string | string[]> = { ...response.headers };
      for (const [name, value] of Object.entries(hostHeaders)) {
        const same = Object.keys(headers).find((h) => h.toLowerCase() === name.toLowerCase());
        if (same) headers[same] = [headers[same], value].flat();
        else headers[name] = value;
      }
      res.writeHead(response.status, headers);
      res.end(req.method === 'HEAD' ? undefined : response.html);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`harness error: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}/webhook`;
  return {
    baseUrl,
    answers,
    get settings() {
      return state.settings;
    },
    set settings(next) {
      state.settings = next;
    },
    link: (kind, token) => linkFor(baseUrl, kind, token),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Repeated keys become lists, as n8n's body and query parsing gives them. */
function toRecord(params: URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}
