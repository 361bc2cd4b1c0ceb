/**
 * V8 flags for `n8n-consent import`, which streams a file of any size. V8 sizes its young
 * generation by the machine's memory (on a 24 GB machine a million-row import peaked near 500 MB,
 * nearly all of it short-lived garbage); a small one keeps the peak flat and, here, is faster too.
 * cli/main.ts starts the import with these; bench/import.mjs measures it with the same.
 */
export const IMPORT_NODE_FLAGS = ['--max-semi-space-size=2'];
