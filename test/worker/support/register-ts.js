// Lets a child process `require` the TypeScript sources directly, compiled by swc like jest does:
// the worker under test runs from source, so a concurrent `tsup` rebuild of dist/ cannot pull
// files out from under it mid-test.
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    jsc: { target: 'es2023', parser: { syntax: 'typescript' } },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  });
  module._compile(code, filename);
};
