/**
 * The app's auth stack against the real Logto server — the same parts the full-stack integration
 * suite assembles against the local server (test/integration/auth-stack.ts):
 *
 *   XState machine → Logto adapter (createLogtoAuth) → real @logto/capacitor SDK → real Logto
 *
 * with the phone simulated by the native shell (test/native-shell) and the person in the browser
 * being ExperienceBrowser, which signs in through Logto's Experience API with a code mailed by
 * Logto's real Aliyun DM connector to the fake DirectMail (started by the spec on the port the
 * runner routed the connector to).
 */
import type { FakeAliyunDm } from '../../../dev-idp/fake-aliyun/server.ts';
import { codeIn } from '../../../dev-idp/mail/aliyun-fixtures.ts';
import type { createMemoryStorage } from '../../../src/app/auth/logto/index.ts';
import { AppProcess } from '../../integration/app-process.ts';
import {
  AppDevice,
  continueWithEmail,
  createDeviceAuth,
  deviceFetch,
  deviceStorage,
  SUITE_TIMERS,
  until,
} from '../../integration/auth-stack.ts';
import type { LeakScan } from '../../integration/leak-scan.ts';
import { httpPerson } from '../../native-shell/http-person.ts';
import { nativeShell, type ScenarioName } from '../../native-shell/shell.ts';
import { ExperienceBrowser } from './experience-browser.ts';
import type { RealLogto } from './real-logto.ts';

/** A real server over real HTTP answers slower than the in-process local one. */
const REAL_LOGTO_ADAPTER_TIMERS = { requestTimeout: 15_000, tokenWaitTimeout: 15_000, revocationTimeout: 5_000 };

/** A hook between the device and the network, per token-endpoint request (e.g. lose the answer). */
export type TokenRequestHook = (url: URL, response: Response) => Promise<Response> | Response;

export class RealStack extends AppDevice {
  readonly storage: ReturnType<typeof createMemoryStorage>;
  readonly browser = new ExperienceBrowser();
  readonly network = { online: true };
  /** Token-endpoint requests the device made (path only: /oidc/token, /oidc/token/revocation). */
  readonly tokenRequests: { path: string; grantType: string | null; status: number }[] = [];
  onTokenResponse: TokenRequestHook | undefined;

  constructor(
    readonly logto: RealLogto,
    readonly appId: string,
    readonly mail: FakeAliyunDm,
    readonly scan: LeakScan,
  ) {
    super();
    this.storage = deviceStorage(scan);
    this.launch();
  }

  protected startProcess(): AppProcess {
    const auth = createDeviceAuth({ endpoint: this.logto.endpoint, appId: this.appId }, REAL_LOGTO_ADAPTER_TIMERS, {
      storage: this.storage,
      fetch: this.#deviceFetch,
    });
    return new AppProcess(
      auth,
      { ...SUITE_TIMERS, redirectTimeout: 60_000, codeExchangeTimeout: 20_000, signOutTimeout: 20_000 },
      this.scan,
      () => '',
    );
  }

  /** The newest code the fake DirectMail accepted for `email` (mailed by Logto's Aliyun DM connector). */
  async readCode(email: string, after = 0): Promise<string> {
    const message = await until(
      () => this.mail.messages.slice(after).findLast((m) => m.to.toLowerCase() === email.toLowerCase()),
      `a code mailed to ${email}`,
      15_000,
    );
    const code = codeIn(message.html);
    if (!code) throw new Error('the mail Logto sent holds no 6-digit code');
    return code;
  }

  /** Sign in through the machine ("Continue with email") with the person in the real Logto. */
  async signIn(email: string, scenario: ScenarioName = 'android-url-first'): Promise<void> {
    const sentBefore = this.mail.messages.length;
    const walk = httpPerson(this.browser, { email, readCode: (address) => this.readCode(address, sentBefore) });
    nativeShell.use(scenario);
    nativeShell.person = async (url) => {
      const outcome = await walk(url);
      if (outcome.kind === 'redirect') this.scan.ledger.noteCallbackUrl(outcome.url);
      return outcome;
    };
    this.app.send({ type: 'SIGN_IN', options: continueWithEmail(email) });
    await this.app.waitFor('authenticated', 60_000);
  }

  stop(): void {
    this.disposeProcesses();
  }

  /** The phone's fetch (the integration stack's): also lists token-endpoint requests and hands the answers to `onTokenResponse`. */
  readonly #deviceFetch: typeof fetch = deviceFetch(
    this.network,
    () => this.scan,
    (url, body, response) => {
      this.tokenRequests.push({ path: url.pathname, grantType: new URLSearchParams(body).get('grant_type'), status: response.status });
      return this.onTokenResponse ? this.onTokenResponse(url, response) : response;
    },
  );
}
