import { createRequire } from 'node:module';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

const { recommended: communityNodes } = n8nCommunityNodesPlugin.configs;
// n8n's scanner (@n8n/scan-community-package) also applies eslint-plugin-n8n-nodes-base to
// nodes/ and credentials/, as `n8n-node lint` does; taken from the scanner's own install so the
// two always agree (scripts/check-package.mjs runs the scanner itself on the packed tarball).
const requireFromScanner = createRequire(createRequire(import.meta.url).resolve('@n8n/scan-community-package/package.json'));
const n8nNodesBase = requireFromScanner('eslint-plugin-n8n-nodes-base');

/**
 * One no-restricted-imports block per boundary. ESLint keeps only the last setting of a rule for a
 * file, so a file under several boundaries (core/store is also core) gets every pattern that
 * applies to it, each with its reason.
 */
function boundaries(list) {
  const files = [...new Set(list.flatMap((b) => b.files))];
  return files.map((glob) => {
    const applies = list.filter((b) => b.files.some((f) => covers(f, glob)));
    return {
      files: [glob],
      rules: {
        'no-restricted-imports': ['error', { patterns: applies.map((b) => ({ group: b.patterns, message: `Boundary: ${b.why}.` })) }],
      },
    };
  });
}

/** Whether the folder glob `outer` (e.g. core/**\/*.ts) contains every file of `inner`. */
function covers(outer, inner) {
  const base = (g) => g.replace(/\*\*\/\*\.ts$/, '');
  return base(inner).startsWith(base(outer));
}

export default tseslint.config(
  // Generated or local folders (.gitignore): builds, caches, the try-out's working folder.
  // cloud/: its own package, linted by n8n's own `n8n-node lint` (npm run lint:cloud).
  { ignores: ['dist/**', 'node_modules/**', 'cloud/**', 'n8n-host/**', 'coverage/**', 'test-output/**', '.cache/**', '.try-out/**', 'zapier/dist/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // n8n's own lint for community nodes (the rules n8n's scanner applies), on what n8n loads.
    files: ['nodes/**/*.ts', 'credentials/**/*.ts'],
    plugins: communityNodes.plugins,
    rules: {
      ...communityNodes.rules,
      // Cloud-only rules, off because this is an unverified package for self-hosted n8n
      // (NOTES-n8n.md): it needs runtime dependencies that n8n Cloud's allow-list does not have
      // (node:sqlite and pg for the ledger, nodemailer for mail; imapflow and mailparser in the worker).
      '@n8n/community-nodes/no-runtime-dependencies': 'off',
      '@n8n/community-nodes/no-restricted-imports': 'off',
    },
  },
  {
    // The scanner's rule sets and its own exceptions, as in its buildScanConfig().
    plugins: { 'n8n-nodes-base': n8nNodesBase },
    files: ['credentials/**/*.ts'],
    rules: {
      ...n8nNodesBase.configs.credentials.rules,
      'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
      'n8n-nodes-base/cred-class-field-type-options-password-missing': 'off',
      // Wants the URL of the credential's documentation: the README's "Configure" section on the
      // project's homepage, which package.json does not name yet. The scanner still checks it
      // (scripts/check-package.mjs fails until both are set).
      'n8n-nodes-base/cred-class-field-documentation-url-missing': 'off',
    },
  },
  {
    plugins: { 'n8n-nodes-base': n8nNodesBase },
    files: ['nodes/**/*.ts'],
    rules: {
      ...n8nNodesBase.configs.nodes.rules,
      'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
      'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
      'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
    },
  },
  // The parts' boundaries (docs/ARCHITECTURE.md): each part imports only the parts below it.
  ...boundaries([
    {
      files: ['core/**/*.ts'],
      why: 'core/ is the ledger without n8n: it never imports n8n or a face (nodes, credentials, worker, cli)',
      patterns: ['n8n-workflow', 'n8n-core', '@n8n/*', '**/nodes/**', '**/credentials/**', '**/worker/**', '**/cli/**'],
    },
    {
      files: ['core/store/**/*.ts'],
      why: 'a store dialect knows rows and SQL only: it never imports the ledger, the inbox, mail, pages or tokens',
      patterns: ['**/ledger', '**/ledger/**', '**/inbox', '**/inbox/**', '**/mail/**', '**/pages/**', '**/tokens'],
    },
    {
      files: ['core/consent/**/*.ts', 'core/mail/**/*.ts'],
      why: 'consent rules and mail composing/reading sit below the ledger: they never import the ledger or the inbox',
      patterns: ['**/ledger', '**/ledger/**', '**/inbox', '**/inbox/**'],
    },
    {
      files: ['core/ledger/**/*.ts'],
      why: 'the ledger sits below the inbox and the pages: it never imports them',
      patterns: ['**/inbox', '**/inbox/**', '**/pages/**'],
    },
    {
      files: ['nodes/**/*.ts', 'credentials/**/*.ts', 'cli/**/*.ts', 'worker/**/*.ts'],
      why: 'a face reaches a store only through Ledger.open and the Ledger façade (core/ledger)',
      patterns: ['**/core/store/**'],
    },
    {
      files: ['worker/**/*.ts', 'cli/**/*.ts'],
      why: 'the worker and the CLI run without n8n: they never import nodes, credentials or n8n',
      patterns: ['**/nodes/**', '**/credentials/**', 'n8n-workflow', 'n8n-core', '@n8n/*'],
    },
  ]),
  {
    // Plain Node scripts (bench, start, host): CommonJS or ESM JavaScript run as they are.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
