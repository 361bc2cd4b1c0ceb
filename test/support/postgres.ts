import { spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from '../../scripts/ports.cjs';

/**
 * A private PostgreSQL cluster for one test file (or one benchmark run): initdb into a temp
 * folder, started on 127.0.0.1 on a free port, trust auth for the superuser `postgres`, stopped
 * and removed afterwards. No PostgreSQL binaries means a loud failure, never a skip.
 * Plain erasable TypeScript and node builtins only: bench/postgres.mjs imports this file directly
 * (Node 24 strips the types), so the cluster logic lives in one place.
 */

export interface PostgresCluster {
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly dataDir: string;
  /** A connection URL for one database of this cluster. */
  url(database: string): string;
  /** Creates an empty database and returns its name. */
  createDatabase(name?: string): Promise<string>;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Extra server settings (`-c name=value`), e.g. { fsync: 'off' } for throwaway test data. */
  settings?: Record<string, string>;
}

/** Where initdb and pg_ctl are: $PG_BIN, or the newest /usr/lib/postgresql/<version>/bin. */
export function findPostgresBin(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) candidates.push(process.env.PG_BIN);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    candidates.push(...versions.map((v) => join(root, v, 'bin')));
  }
  const bin = candidates.find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
  if (!bin) {
    throw new Error(
      `PostgreSQL server binaries (initdb, pg_ctl) not found in ${candidates.length ? candidates.join(', ') : `${root}/<version>/bin`}. ` +
        'The PostgreSQL ledger tests start a private server and cannot run without one: install the "postgresql" package ' +
        '(apt-get install postgresql) or set PG_BIN to the folder holding initdb and pg_ctl.' +
        (process.env.CI === 'true' ? ' (CI=true: this suite must not be skipped.)' : ''),
    );
  }
  return bin;
}

/** initdb refuses to run as root: as root the server runs as the `postgres` system user. */
function serverUser(): { uid: number; gid: number; name: string } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root, but there is no "postgres" system user to run the test PostgreSQL server as.');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid), name: 'postgres' };
}

function run(bin: string, tool: string, args: string[], runAs: ReturnType<typeof serverUser>): void {
  const command = runAs ? 'runuser' : join(bin, tool);
  const argv = runAs ? ['-u', runAs.name, '--', join(bin, tool), ...args] : args;
  const result = spawnSync(command, argv, { encoding: 'utf8', timeout: 60_000 });
  if (result.status !== 0) {
    throw new Error(`${tool} ${args.join(' ')} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stdout ?? ''}${result.stderr ?? ''}`);
  }
}

export async function startPostgres(options: StartOptions = {}): Promise<PostgresCluster> {
  const bin = findPostgresBin();
  const runAs = serverUser();
  const base = mkdtempSync(join(tmpdir(), 'consent-pg-'));
  if (runAs) chownSync(base, runAs.uid, runAs.gid);
  const dataDir = join(base, 'data');
  const logFile = join(base, 'server.log');
  const user = 'postgres';
  const settings = { listen_addresses: '127.0.0.1', max_connections: '200', ...options.settings };
  run(bin, 'initdb', ['-D', dataDir, '-A', 'trust', '-U', user, '-E', 'UTF8', '--locale=C', '--no-sync'], runAs);

  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 5 && !port; attempt++) {
    const candidate = await freePort();
    const serverOptions = [`-k ${base}`, `-p ${candidate}`, ...Object.entries(settings).map(([k, v]) => `-c ${k}=${v}`)].join(' ');
    try {
      run(bin, 'pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', logFile, '-o', serverOptions], runAs);
      port = candidate;
    } catch (error) {
      lastError = error; // the port was taken between probing and binding: try another
    }
  }
  if (!port) {
    const log = existsSync(logFile) ? readFileSync(logFile, 'utf8').slice(-2000) : '';
    rmSync(base, { recursive: true, force: true });
    throw new Error(`Could not start the test PostgreSQL server: ${(lastError as Error)?.message}\n${log}`);
  }

  let stopped = false;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(bin, 'pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', dataDir], runAs);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  };
  // A test run that ends without calling stop() must not leave a server behind.
  process.once('exit', stopNow);

  let databases = 0;
  const host = '127.0.0.1';
  return {
    host,
    port,
    user,
    dataDir,
    url: (database: string) => `postgres://${user}@${host}:${port}/${database}`,
    async createDatabase(name?: string) {
      const database = name ?? `ledger_${process.pid}_${++databases}`;
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) throw new Error(`not a plain database name: ${database}`);
      const client = new pg.Client({ host, port, user, database: 'postgres' });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${database}`);
      } finally {
        await client.end();
      }
      return database;
    },
    async stop() {
      process.removeListener('exit', stopNow);
      stopNow();
    },
  };
}

let shared: Promise<PostgresCluster> | undefined;

/**
 * One cluster per test file (jest gives each file its own module registry): the first call
 * starts it, later calls reuse it. Stop it in afterAll with stopSharedPostgres().
 */
export function sharedPostgres(): Promise<PostgresCluster> {
  shared ??= startPostgres({ settings: { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } });
  return shared;
}

export async function stopSharedPostgres(): Promise<void> {
  const cluster = shared;
  shared = undefined;
  // A cluster that never started was reported by the suite that asked for it: nothing to stop.
  if (cluster) await (await cluster.catch(() => undefined))?.stop();
}
