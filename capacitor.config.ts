import type { CapacitorConfig } from '@capacitor/cli';

import identity from './identity.config.json' with { type: 'json' };

// App id and name come from the single identity-settings file; scripts/set-app-id.mjs changes them.
const config: CapacitorConfig = {
  appId: identity.appId,
  appName: identity.appName,
  webDir: 'www',
};

export default config;
