import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp, type ServiceOptions } from './app';
import { HookDeliverer } from './hooks';

export interface RunningService {
  url: string;
  /** Stops taking connections, lets the requests in flight finish, then resolves. */
  stop(): Promise<void>;
}

/** Starts the consent service on host:port (port 0: a free one). */
export async function startService(
  options: Omit<ServiceOptions, 'publicUrl'> & { host: string; port: number; publicUrl?: string; hooks?: { retryMs: number; pollMs: number } },
): Promise<RunningService> {
  let publicUrl = options.publicUrl;
  const app = createApp({
    ...options,
    get publicUrl() {
      return publicUrl ?? '';
    },
  });
  const server: ServerType = await new Promise((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: options.host, port: options.port }, () => resolve(s));
    s.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `http://${host}:${port}`;
  publicUrl ??= url;
  const deliverer = options.hooks
    ? new HookDeliverer({ ledger: options.ledger, allowPrivate: options.hooksAllowPrivate === true, retryMs: options.hooks.retryMs, pollMs: options.hooks.pollMs, log: options.log })
    : undefined;
  deliverer?.start();
  return {
    url,
    stop: async () => {
      // The deliverer first: a delivery under way finishes and its position is written.
      await deliverer?.stop();
      await new Promise<void>((resolve) => {
        const http = server as Server;
        http.close(() => resolve());
        // Idle keep-alive connections would hold the close open; busy ones finish their request.
        http.closeIdleConnections();
      });
    },
  };
}
