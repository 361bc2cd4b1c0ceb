import { version as platformVersion } from 'zapier-platform-core';
import { authentication } from './authentication';
import { creates } from './creates';
import { searches } from './searches';
import { triggers } from './triggers';

/** The Zapier app over the consent service (n8n-consent serve); ../index.js adds the version from package.json. */
const app = {
  platformVersion,
  authentication,
  creates,
  searches,
  triggers,
  // Every call goes through z.request, which Zapier logs itself. Without this flag the platform
  // replaces Node's http.request and global fetch with logging wrappers for the whole process:
  // in jest's single process that made later test files' HTTP clients (Playwright's request API)
  // hang until their timeout.
  flags: { skipHttpPatch: true },
};

export = app;
