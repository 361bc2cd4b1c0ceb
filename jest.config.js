// franc-min and its own dependencies (core/mail/language.ts) are ESM-only too.
const ESM_ONLY = ['email-reply-parser', 'email-forward-parser', 'franc-min', 'trigram-utils', 'n-gram', 'collapse-white-space'];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test', '<rootDir>/zapier/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } }],
    // ESM-only dependencies (core/mail/person-text.ts, language.ts): Node 24 require()s them in the built CJS,
    // but jest's own loader does so only under --experimental-vm-modules, so they are compiled here.
    [`/node_modules/(${ESM_ONLY.join('|')})/.+\\.js$`]: ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ESM_ONLY.join('|')})/)`],
  testTimeout: 60000,
  globalSetup: '<rootDir>/test/support/global-setup.js',
  // CI: each file's start and end with the time (a run cut off by the hang guard names the file it was in).
  reporters: ['default', '<rootDir>/test/support/progress-reporter.js'],
};
