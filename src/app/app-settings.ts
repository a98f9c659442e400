import generated from '../app-settings.generated.json';

/** Build-time settings: identity.config.json + LOGTO_ENDPOINT / LOGTO_APP_ID / ... (scripts/gen-app-settings.mjs). */
export type AppSettings = typeof generated;

// A build may replace the generated settings wholesale: `ng build --define AUTH_APP_SETTINGS=<json>`.
// The end-to-end suite builds for its own ports this way, without rewriting the shared file
// that a running `npm start` watches.
declare const AUTH_APP_SETTINGS: AppSettings | undefined;

export const appSettings: AppSettings = typeof AUTH_APP_SETTINGS === 'undefined' ? generated : AUTH_APP_SETTINGS;
