import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { residentMemory } from '../../../scripts/process-memory.cjs';
import type { WorkerSettingsInput } from '../../../worker/settings';
import { SECRET } from '../../support/ledger';
import { withDeadline, type WaitOptions } from '../../support/wait';

/** The worker as a real child process: start, watch its log lines, SIGTERM it or kill -9 it. */
export class WorkerProcess {
  readonly lines: Record<string, unknown>[] = [];
  stderr = '';
  private buffer = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private watchers: { test: (line: Record<string, unknown>) => boolean; resolve: () => void }[] = [];

  private constructor(readonly child: ChildProcess) {
    child.stdout!.on('data', (d: Buffer) => this.onData(d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  static start(ledgerPath: string, settings: WorkerSettingsInput, dir: string, env: Record<string, string> = {}): WorkerProcess {
    const config = join(dir, `worker-${Date.now()}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(config, JSON.stringify(settings));
    const child = spawn(process.execPath, ['-r', join(__dirname, 'register-ts.js'), join(__dirname, 'worker-child.ts'), ledgerPath, config], {
      env: { PATH: process.env.PATH, CONSENT_SECRET: SECRET, NODE_NO_WARNINGS: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new WorkerProcess(child);
  }

  private onData(text: string) {
    this.buffer += text;
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) >= 0) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      try {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        this.lines.push(parsed);
        this.watchers = this.watchers.filter((w) => (w.test(parsed) ? (w.resolve(), false) : true));
      } catch {
        this.stderr += `${line}\n`;
      }
    }
  }

  /**
   * Resolves at the first log line (past or future) that passes `test`; rejects when the worker
   * exits first, or after the deadline, naming `what`.
   */
  waitForLine(test: (line: Record<string, unknown>) => boolean, { what, timeoutMs }: WaitOptions): Promise<void> {
    if (this.lines.some(test)) return Promise.resolve();
    const seen = new Promise<void>((resolve, reject) => {
      this.watchers.push({ test, resolve });
      void this.exited.then(({ code, signal }) => reject(new Error(`worker exited (${code ?? signal}) before ${what}: ${this.stderr.slice(-2000)}`)));
    });
    return withDeadline(seen, { what, timeoutMs });
  }

  /** Resolves once `count` mails have been logged in total. */
  waitForMails(count: number): Promise<void> {
    return this.waitForLine(() => this.lines.filter((l) => l.event === 'mail').length >= count, { what: `${count} mail line(s) from the worker` });
  }

  /** Peak and current resident memory of the child, from /proc (bytes). */
  memory(): { rss: number; peak: number } {
    return residentMemory(this.child.pid!);
  }

  /** Resets the peak counter (VmHWM), so the next peak belongs to what follows. */
  resetPeak(): void {
    writeFileSync(`/proc/${this.child.pid}/clear_refs`, '5');
  }

  kill9(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill('SIGKILL');
    return this.exited;
  }

  terminate(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    return this.exited;
  }

  wait() {
    return this.exited;
  }
}
