/** What global setup hands to the workers (through one environment variable). */
export const STACK_ENV = 'E2E_STACK';

export interface Stack {
  appUrl: string; // http://localhost:<port>, the production web build
  idpEndpoint: string; // http://localhost:<port>, the local identity server (Logto endpoint)
  idpPort: number;
  apiUrl: string; // http://localhost:<port>/, the sample protected API
  controlUrl: string; // stops and restarts the identity server (servers.ts)
}

export function readStack(): Stack {
  const raw = process.env[STACK_ENV];
  if (!raw) throw new Error(`${STACK_ENV} is not set: run the suite with \`npx playwright test\` (global setup starts the servers).`);
  return JSON.parse(raw) as Stack;
}
