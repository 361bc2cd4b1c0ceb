import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tseslint from 'typescript-eslint';

const { recommended: communityNodes } = n8nCommunityNodesPlugin.configs;

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'n8n-host/**', 'coverage/**', 'test-output/**'] },
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
    // Plain Node scripts (bench, start, host): CommonJS or ESM JavaScript run as they are.
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', require: 'readonly', module: 'writable', __dirname: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', URL: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
