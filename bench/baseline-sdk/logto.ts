import LogtoClient, { UserScope } from '@logto/capacitor';

// The client module of Logto's Capacitor guide and its sample. The guide writes the endpoint and
// app ID as literals; here the bench sets them at build time (`ng build --define`) to those of our
// own build, so both apps name the same identity server. The config is passed inline: the
// guide's `import LogtoClient, { type LogtoConfig }` does not compile against @logto/capacitor
// 4.0.7, which does not re-export that type.
declare const LOGTO_ENDPOINT: string;
declare const LOGTO_APP_ID: string;

export const client = new LogtoClient({ endpoint: LOGTO_ENDPOINT, appId: LOGTO_APP_ID, scopes: [UserScope.Email] });
