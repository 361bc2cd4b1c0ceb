import { writeSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

/**
 * `n8n-consent import` streams a file of any size, so it runs in a worker thread with a small young
 * generation. V8 otherwise sizes that by the machine's memory: on a 24 GB machine a million-row
 * import peaked near 500 MB, nearly all of it short-lived garbage; with these limits it stays
 * under 300 MB, at the same speed. (A worker thread, not a child process: a community package
 * may not start processes.) cli/main.ts uses this; bench/import.mjs measures the same.
 */
export const IMPORT_RESOURCE_LIMITS = { maxYoungGenerationSizeMb: 6 };

/** Runs the CLI script `main` with `argv` in a worker thread under IMPORT_RESOURCE_LIMITS; resolves with its exit code. */
export function runCliInWorker(main: string, argv: string[]): Promise<number> {
  return new Promise((resolve) => {
    const worker = new Worker(main, { argv, resourceLimits: IMPORT_RESOURCE_LIMITS });
    let code = 1;
    worker.on('message', (value: number) => (code = value));
    worker.on('error', (error) => {
      process.stderr.write(`n8n-consent: ${error.message}\n`);
      code = 1;
    });
    worker.on('exit', () => resolve(code));
  });
}

/**
 * Writes all of `text` to a file descriptor, straight from the worker (its process.stdout would
 * queue a million lines for the main thread); waits a moment while a non-blocking pipe is full.
 */
export function writeAll(fd: number, text: string): void {
  let bytes = Buffer.from(text);
  while (bytes.length > 0) {
    try {
      bytes = bytes.subarray(writeSync(fd, bytes));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}
