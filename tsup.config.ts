import { defineConfig } from 'tsup';

// Transpile file by file (no bundling): n8n loads each node file with require(), and every
// node must share one copy of core/ (one ledger connection per process, one module state).
export default defineConfig({
  entry: ['core/**/*.ts', 'nodes/**/*.ts', 'credentials/**/*.ts', 'worker/**/*.ts', 'cli/**/*.ts'],
  outDir: 'dist',
  format: ['cjs'],
  target: 'node24',
  bundle: false,
  sourcemap: false,
  clean: false, // several test runs may build at once; `npm pack` starts from an empty dist (prepack)
  dts: false,
  loader: { '.json': 'copy' },
  // Icons, codex files and words.json are not TypeScript: copied beside the built files.
  onSuccess: 'node scripts/copy-node-assets.mjs',
});
