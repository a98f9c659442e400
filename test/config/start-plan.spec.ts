/**
 * What `npm start` runs (scripts/start-plan.mjs): the local identity server, or with a real
 * Logto's LOGTO_ENDPOINT the sample API trusting that Logto (so "Call the Bookstore API" works
 * against a real tenant); and the app on identity.config.json's port whatever PORT the shell has
 * (the Angular dev server obeys PORT over --port).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// @ts-expect-error: a plain .mjs script without type declarations
import { startPlan } from '../../scripts/start-plan.mjs';

interface Child {
  name: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}
interface Plan {
  useLocalIdp: boolean;
  notes: string[];
  children: Child[];
}

const root = join(import.meta.dirname, '../../');
const identity = JSON.parse(readFileSync(join(root, 'identity.config.json'), 'utf8')) as {
  ports: { app: number; api: number; idp: number };
};
const plan = (env: NodeJS.ProcessEnv) => startPlan(env, identity, root) as Plan;
const app = (p: Plan) => p.children.find((child) => child.name === 'app')!;

describe('npm start', () => {
  it('without LOGTO_ENDPOINT runs the local identity server (with the sample API) and the app', () => {
    const p = plan({ PATH: '/usr/bin' });
    expect(p.useLocalIdp).toBe(true);
    expect(p.children.map((child) => child.name)).toEqual(['identity server', 'app']);
    expect(p.children[0]!.args).toEqual(['dev-idp/main.ts']);
  });

  it("with a real Logto's LOGTO_ENDPOINT runs the sample API for that Logto, and no local identity server", () => {
    const p = plan({ LOGTO_ENDPOINT: 'https://tenant.example.com', LOGTO_APP_ID: 'abc' });
    expect(p.useLocalIdp).toBe(false);
    expect(p.children.map((child) => child.name)).toEqual(['sample API', 'app']);
    expect(p.children[0]!.args).toEqual(['dev-idp/sample-api-main.ts']);
    expect(p.children[0]!.env['LOGTO_ENDPOINT']).toBe('https://tenant.example.com');
    expect(p.notes.join('\n')).toContain(`sample API (http://localhost:${identity.ports.api})`);
  });

  it("a LOGTO_ENDPOINT naming the local server's port (a device on the LAN) still starts the local server", () => {
    expect(plan({ LOGTO_ENDPOINT: `http://127.0.0.1:${identity.ports.idp}` }).useLocalIdp).toBe(true);
  });

  it('a PORT in the environment does not move the app off its configured port, and says so', () => {
    const p = plan({ PORT: '4321', LOGTO_ENDPOINT: 'https://tenant.example.com' });
    const child = app(p);
    expect(child.env['PORT']).toBeUndefined();
    expect(child.args.slice(1, 3)).toEqual(['serve', '--port']);
    expect(child.args[3]).toBe(String(identity.ports.app));
    expect(p.notes.join('\n')).toContain(`Ignoring PORT=4321 from the environment: the app always runs on port ${identity.ports.app}`);
    // The other children keep their environment as it was.
    expect(p.children[0]!.env['PORT']).toBe('4321');
  });
});
