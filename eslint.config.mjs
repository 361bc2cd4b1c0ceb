import { createRequire } from 'node:module';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

const { recommended: communityNodes } = n8nCommunityNodesPlugin.configs;
// n8n's scanner (@n8n/scan-community-package) also applies eslint-plugin-n8n-nodes-base to
// nodes/ and credentials/, as `n8n-node lint` does; taken from the scanner's own install so the
// two always agree (scripts/check-package.mjs runs the scanner itself on the packed tarball).
const requireFromScanner = createRequire(createRequire(import.meta.url).resolve('@n8n/scan-community-package/package.json'));
const n8nNodesBase = requireFromScanner('eslint-plugin-n8n-nodes-base');

export default tseslint.config(
  // Generated or local folders (.gitignore): builds, caches, the try-out's working folder.
  { ignores: ['dist/**', 'node_modules/**', 'n8n-host/**', 'coverage/**', 'test-output/**', '.cache/**', '.try-out/**'] },
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
  {
    // Plain Node scripts (bench, start, host): CommonJS or ESM JavaScript run as they are.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
