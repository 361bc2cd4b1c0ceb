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
};

export = app;
