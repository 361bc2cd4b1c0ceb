// The app Zapier loads (package.json "main"): the compiled TypeScript (npm run build) with this
// package's version, as the platform wants it.
const app = require('./dist/index.js');

module.exports = { version: require('./package.json').version, ...app };
