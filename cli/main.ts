#!/usr/bin/env node
// The n8n-consent CLI. node:sqlite still prints an ExperimentalWarning on Node 24.9; the CLI's
// stderr is for messages a person acts on, so that one warning is dropped here, before loading it.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const text = typeof warning === 'string' ? warning : warning.message;
  if (/SQLite is an experimental feature/.test(text)) return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 13)) {
  process.stderr.write(`n8n-consent needs Node.js 24 (this is ${process.versions.node}): it uses the built-in node:sqlite.\n`);
  process.exit(2);
}

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isMainThread, parentPort } = require('node:worker_threads') as typeof import('node:worker_threads');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { runCliInWorker, writeAll } = require('./import-isolate') as typeof import('./import-isolate');
if (isMainThread && process.argv[2] === 'import') {
  // The import runs in a worker thread with a small young generation (cli/import-isolate.ts).
  runCliInWorker(__filename, process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runCli } = require('./commands') as typeof import('./commands');
  const out = isMainThread ? undefined : (value: unknown) => writeAll(1, `${JSON.stringify(value)}\n`);
  runCli(process.argv.slice(2), out).then((code) => {
    if (isMainThread) process.exitCode = code;
    else parentPort!.postMessage(code);
  });
}
