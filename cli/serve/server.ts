import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Server } from 'node:http';
import { createApp, type ServiceOptions } from './app';

export interface RunningService {
  url: string;
  /** Stops taking connections, lets the requests in flight finish, then resolves. */
  stop(): Promise<void>;
}

/** Starts the consent service on host:port (port 0: a free one). */
export async function startService(options: Omit<ServiceOptions, 'publicUrl'> & { host: string; port: number; publicUrl?: string }): Promise<RunningService> {
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
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        const http = server as Server;
        http.close(() => resolve());
        // Idle keep-alive connections would hold the close open; busy ones finish their request.
        http.closeIdleConnections();
      }),
  };
}
