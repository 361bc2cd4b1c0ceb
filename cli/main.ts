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
const { IMPORT_NODE_FLAGS } = require('./node-flags') as typeof import('./node-flags');
if (process.argv[2] === 'import' && !IMPORT_NODE_FLAGS.every((flag) => process.execArgv.includes(flag))) {
  // The import runs in a Node with a small young generation (cli/node-flags.ts): memory stays flat.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  const child = spawn(process.execPath, [...IMPORT_NODE_FLAGS, ...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    process.exitCode = code ?? (signal === 'SIGINT' ? 130 : 1);
  });
} else {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runCli } = require('./commands') as typeof import('./commands');
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
