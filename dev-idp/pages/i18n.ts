/**
 * The identity pages in the person's language: English or Simplified Chinese (the languages in
 * identity.config.json `languages.supported`). Chosen from the sign-in request's OIDC
 * `ui_locales` (the app sends its own language), then the browser's `Accept-Language`, else
 * English. The Chinese follows Logto's own sign-in experience wording where it has the phrase
 * (packages/phrases-experience, zh-cn), so these pages read like Logto's.
 *
 * The language is per request (AsyncLocalStorage): the server sets it once when a request
 * arrives and again when the sign-in interaction (with its `ui_locales`) is known, and every page
 * renderer and message reads it, whoever renders the page (oidc-provider's error and sign-out
 * pages included).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { escapeHtml } from '../http/http-util.ts';

export type Locale = 'en' | 'zh-CN';

export const locales: readonly Locale[] = ['en', 'zh-CN'];

const en = {
  footer: 'Local development identity server (Logto-compatible). Not for production.',
  // Units (a count picks _one or _other by the language's plural rules).
  minutes_one: '{count} minute',
  minutes_other: '{count} minutes',
  seconds_one: '{count} second',
  seconds_other: '{count} seconds',
  attempts_one: '{count} attempt',
  attempts_other: '{count} attempts',
  // The email step.
  email_label: 'Email',
  send_code: 'Send code',
  flow_sign_in: 'Continue with email',
  flow_register: 'Create your account',
  flow_identifier_register: 'Create your account with email',
  flow_reset_password: 'Reset password',
  intro_code: 'Enter your email address and we will send you a 6-digit code. A new address gets a new account.',
  intro_register: 'Enter your email address and we will send you a 6-digit code.',
  intro_reset_no_passwords: 'This local server has no passwords. Enter your account email and sign in with a 6-digit code instead.',
  have_account_sign_in: 'Already have an account? Sign in',
  back_to_sign_in: 'Back to sign in',
  signed_in_as:
    'You are signed in as {email}. Enter another address to switch, or keep this account: {back} (on a phone, close this page).',
  back_to_app_link: 'back to {app}',
  go_back_to_app: 'go back to {app}',
  // The code step.
  code_title: 'Enter your code',
  code_sent_to: 'We sent a 6-digit code to {email}.',
  code_valid_for: 'It is valid for {duration}.',
  code_label: 'Verification code',
  continue: 'Continue',
  send_new_code: 'Send a new code',
  resend_in_words: 'You can ask for a new code in {duration}.',
  use_different_email: 'Use a different email',
  dev_hint: "Developing locally? The code is printed in the identity server's terminal and listed in the {mailbox}.",
  dev_mailbox: 'dev mailbox',
  new_code_sent: 'We sent you a new code.',
  locked_title: 'Try again later',
  error_locked_reason: 'Too many wrong attempts for this email address.',
  locked_countdown: 'You can try again in {duration}.',
  locked_ready: 'You can try again now.',
  try_again: 'Try again',
  // What the code page's script says (passed to it on the page).
  script_digit: 'Digit {n} of {total}',
  script_checking: 'Checking…',
  script_sending: 'Sending…',
  script_resend_in: 'Resend in {time}',
  // Messages.
  error_enter_email: 'Enter your email address.',
  error_invalid_email: 'Enter a valid email address, like name@example.com.',
  error_no_account: 'There is no account with this email address. Check it, or create an account.',
  error_enter_code: 'Enter the 6-digit code from the email.',
  error_code_expired: 'This code has expired. Send a new code and try again.',
  error_code_exhausted: 'Too many wrong attempts. Send a new code and try again.',
  error_code_wrong: 'That code is not right. Check the email and try again ({attempts} left).',
  error_code_wrong_last: 'That code is not right, and it was the last attempt. Send a new code and try again.',
  error_code_wrong_locked: 'That code is not right, and it was the last attempt.',
  error_locked: 'Too many wrong attempts for this email address. You can try again in {duration}.',
  error_quota: 'Too many codes were sent to this email address. You can ask for a new one in {duration}.',
  error_cooldown: 'Please wait {duration} before asking for a new code.',
  error_delivery: 'We could not send the email. Try again in a moment.',
  // Dead ends.
  expired_title: 'This sign-in page has expired',
  expired_message: 'The sign-in session was not found: it expired, was already finished, or was not started from the app.',
  expired_detail: 'Go back to the app and start signing in again. On a phone, close this page to return to the app.',
  back_to_app: 'Back to {app}',
  registration_closed_title: 'Registration is closed',
  registration_closed_mode: 'This tenant only lets existing accounts sign in (sign-in mode "SignIn").',
  registration_closed_new_address: 'There is no account with this email address, and this tenant does not let new accounts register.',
  registration_closed_detail: 'Sign in with an existing account instead.',
  email_not_enabled_title: 'Email sign-in is not enabled',
  email_not_enabled_message: "This tenant's sign-in experience offers {what}; these pages sign in by email (code or password).",
  email_not_enabled_detail: 'Run npm run logto:setup against this server to enable email + verification code.',
  not_found_title: 'Page not found',
  not_found_message: 'There is nothing at this address.',
  not_found_home: 'Identity server home',
  crash_title: 'Something went wrong',
  crash_message: 'The identity server could not complete this request. Go back to the app and try again.',
  crash_detail: "The details are in the server's terminal.",
  // Passwords.
  password_sign_in_title: 'Sign in',
  password_label: 'Password',
  new_password_label: 'New password',
  forgot_password: 'Forgot password?',
  sign_in_with_code: 'Sign in with a code instead',
  no_account_create: 'No account yet? Create one',
  create_password_title: 'Create a password',
  set_new_password_title: 'Set a new password',
  password_rules: 'For {email}: at least 8 characters; avoid repeated or sequential characters and your email.',
  create_account: 'Create account',
  save_password: 'Save password',
  password_changed: 'Your password was changed. Sign in with it.',
  error_enter_email_password: 'Enter your email address and your password.',
  error_password_wrong: 'The email or password is not right ({attempts} left).',
  error_password_wrong_locked: 'The email or password is not right, and it was the last attempt.',
  password_not_allowed: 'This password is not allowed.',
  password_too_short: 'Use at least {min} characters.',
  password_too_long: 'Use at most {max} characters.',
  password_character_types: 'Use more kinds of characters (letters, digits, symbols).',
  password_unsupported_characters: 'It contains characters that are not supported.',
  password_repetition: 'Avoid repeated characters (like "aaa").',
  password_sequence: 'Avoid sequences (like "123" or "abc").',
  password_user_info: 'Do not use your email address in the password.',
  password_common: 'Choose a less common password.',
  password_not_enabled_title: 'Password sign-in is not enabled',
  password_not_enabled_message: "This tenant's sign-in experience signs in with an email code only.",
  sign_in_with_email_code: 'Sign in with an email code',
  // Pages oidc-provider asks for.
  signing_out_title: 'Signing out',
  signing_out_heading: 'Signing out…',
  continue_signing_out: 'Continue signing out',
  signed_out_title: 'Signed out',
  signed_out_heading: 'You are signed out',
  signed_out_message: 'You can close this window and return to the app.',
  oidc_error_title: 'Sign-in cannot continue',
  oidc_error_invalid_client: 'The app that sent you here is not registered with this identity server.',
  oidc_error_invalid_redirect_uri: 'The app asked to return to an address that is not registered for it.',
  oidc_error_invalid_request: 'The sign-in request from the app is not valid.',
  oidc_error_invalid_target: 'The app asked for an API resource this server does not know.',
  oidc_error_invalid_scope: 'The app asked for a permission this server does not know.',
  oidc_error_session_not_found: 'The sign-in session was not found: it expired or was already finished.',
  oidc_error_server_error: 'Something went wrong on the identity server.',
  oidc_error_other: 'The request could not be completed.',
  oidc_error_detail: 'Go back to the app and try again. Error: {error}',
} as const;

export type MessageKey = keyof typeof en;

/** Every key of the English texts must be here (the compiler and i18n.spec.ts hold it). */
const zhCN: Record<MessageKey, string> = {
  footer: '本地开发用身份服务器（兼容 Logto），请勿用于生产环境。',
  minutes_one: '{count} 分钟',
  minutes_other: '{count} 分钟',
  seconds_one: '{count} 秒',
  seconds_other: '{count} 秒',
  attempts_one: '{count} 次',
  attempts_other: '{count} 次',
  email_label: '邮箱',
  send_code: '发送验证码',
  flow_sign_in: '通过邮箱继续',
  flow_register: '创建帐号',
  flow_identifier_register: '使用邮箱创建帐号',
  flow_reset_password: '重设密码',
  intro_code: '输入你的邮箱，我们会发送一个 6 位验证码。新的邮箱会创建新帐号。',
  intro_register: '输入你的邮箱，我们会发送一个 6 位验证码。',
  intro_reset_no_passwords: '本地服务器没有密码。输入你的帐号邮箱，改用 6 位验证码登录。',
  have_account_sign_in: '已有帐号？登录',
  back_to_sign_in: '返回登录',
  signed_in_as: '你已以 {email} 身份登录。输入其他邮箱以切换帐号，或保留当前帐号：{back}（在手机上请关闭此页面）。',
  back_to_app_link: '返回 {app}',
  go_back_to_app: '返回 {app}',
  code_title: '输入验证码',
  code_sent_to: '验证码已经发送至你的邮箱 {email}。',
  code_valid_for: '{duration}内有效。',
  code_label: '验证码',
  continue: '继续',
  send_new_code: '重发验证码',
  resend_in_words: '{duration}后可以重发验证码。',
  use_different_email: '使用其他邮箱',
  dev_hint: '本地开发？验证码会打印在身份服务器的终端里，也列在{mailbox}中。',
  dev_mailbox: '开发邮箱',
  new_code_sent: '验证码已经重新发送。',
  locked_title: '请稍后再试',
  error_locked_reason: '此邮箱的错误尝试次数过多。',
  locked_countdown: '{duration}后可以重试。',
  locked_ready: '现在可以重试了。',
  try_again: '重试',
  script_digit: '第 {n} 位，共 {total} 位',
  script_checking: '正在验证…',
  script_sending: '正在发送…',
  script_resend_in: '{time} 后重发',
  error_enter_email: '请输入邮箱。',
  error_invalid_email: '无效的邮箱，请输入类似 name@example.com 的地址。',
  error_no_account: '此邮箱没有对应的帐号。请检查邮箱，或创建帐号。',
  error_enter_code: '请输入邮件中的 6 位验证码。',
  error_code_expired: '验证码已过期。请重发验证码后再试。',
  error_code_exhausted: '错误次数过多。请重发验证码后再试。',
  error_code_wrong: '验证码不正确。请查看邮件后重试（还剩 {attempts}）。',
  error_code_wrong_last: '验证码不正确，这是最后一次尝试。请重发验证码后再试。',
  error_code_wrong_locked: '验证码不正确，这是最后一次尝试。',
  error_locked: '此邮箱的错误尝试次数过多。{duration}后可以重试。',
  error_quota: '发送到此邮箱的验证码过多。{duration}后可以再次获取。',
  error_cooldown: '请等待 {duration}后再获取新的验证码。',
  error_delivery: '验证码发送失败，请稍后再试。',
  expired_title: '此登录页面已过期',
  expired_message: '未找到登录会话：它已过期、已完成，或不是从应用发起的。',
  expired_detail: '请返回应用重新登录。在手机上，关闭此页面即可返回应用。',
  back_to_app: '返回 {app}',
  registration_closed_title: '注册已关闭',
  registration_closed_mode: '此租户只允许已有帐号登录（登录模式为 "SignIn"）。',
  registration_closed_new_address: '此邮箱没有对应的帐号，且此租户不允许注册新帐号。',
  registration_closed_detail: '请改用已有帐号登录。',
  email_not_enabled_title: '未启用邮箱登录',
  email_not_enabled_message: '此租户的登录体验提供 {what}；这些页面只支持邮箱登录（验证码或密码）。',
  email_not_enabled_detail: '对此服务器运行 npm run logto:setup，以启用邮箱 + 验证码登录。',
  not_found_title: '页面不存在',
  not_found_message: '此地址没有内容。',
  not_found_home: '身份服务器首页',
  crash_title: '出现错误',
  crash_message: '身份服务器无法完成此请求。请返回应用重试。',
  crash_detail: '详细信息在服务器的终端里。',
  password_sign_in_title: '登录',
  password_label: '密码',
  new_password_label: '新密码',
  forgot_password: '忘记密码？',
  sign_in_with_code: '用验证码登录',
  no_account_create: '还没有帐号？注册',
  create_password_title: '设置密码',
  set_new_password_title: '设置新密码',
  password_rules: '用于 {email}：至少 8 个字符；避免重复或连续的字符，也不要包含你的邮箱。',
  create_account: '注册',
  save_password: '保存密码',
  password_changed: '密码已修改，请用新密码登录。',
  error_enter_email_password: '请输入邮箱和密码。',
  error_password_wrong: '邮箱或密码不正确（还剩 {attempts}）。',
  error_password_wrong_locked: '邮箱或密码不正确，这是最后一次尝试。',
  password_not_allowed: '不能使用此密码。',
  password_too_short: '最短长度为 {min}。',
  password_too_long: '最长长度为 {max}。',
  password_character_types: '请使用更多种类的字符（字母、数字、符号）。',
  password_unsupported_characters: '发现不支持的字符。',
  password_repetition: '避免使用重复字符（如 "aaa"）。',
  password_sequence: '避免使用连续字符（如 "123" 或 "abc"）。',
  password_user_info: '不要在密码中使用你的邮箱。',
  password_common: '避免使用容易被猜到的简单密码。',
  password_not_enabled_title: '未启用密码登录',
  password_not_enabled_message: '此租户的登录体验只支持邮箱验证码登录。',
  sign_in_with_email_code: '用邮箱验证码登录',
  signing_out_title: '正在退出登录',
  signing_out_heading: '正在退出登录…',
  continue_signing_out: '继续退出登录',
  signed_out_title: '已退出登录',
  signed_out_heading: '你已退出登录',
  signed_out_message: '你可以关闭此窗口并返回应用。',
  oidc_error_title: '无法继续登录',
  oidc_error_invalid_client: '将你带到这里的应用没有在此身份服务器上注册。',
  oidc_error_invalid_redirect_uri: '应用要求返回的地址没有为它注册。',
  oidc_error_invalid_request: '应用发来的登录请求无效。',
  oidc_error_invalid_target: '应用请求了此服务器不认识的 API 资源。',
  oidc_error_invalid_scope: '应用请求了此服务器不认识的权限。',
  oidc_error_session_not_found: '未找到会话：它已过期或已完成。请返回并重新登录。',
  oidc_error_server_error: '身份服务器出现错误。',
  oidc_error_other: '无法完成此请求。',
  oidc_error_detail: '请返回应用重试。错误：{error}',
};

export const messages: Readonly<Record<Locale, Readonly<Record<MessageKey, string>>>> = { en, 'zh-CN': zhCN };

/**
 * The supported language a list of language tags asks for first (`ui_locales` is
 * space-separated, `Accept-Language` comma-separated with `;q=` weights). Simplified Chinese
 * answers `zh`, `zh-CN`, `zh-SG`, `zh-Hans…`; Traditional (`zh-TW`, `zh-HK`, `zh-Hant…`) is not
 * offered, so the next tag decides.
 */
export function matchLocale(tags: readonly string[]): Locale | undefined {
  for (const raw of tags) {
    const tag = raw.trim().toLowerCase();
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag === 'zh-cn' || tag === 'zh-sg' || tag.startsWith('zh-hans') || tag.startsWith('zh-cn-')) return 'zh-CN';
  }
  return undefined;
}

function acceptLanguageTags(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...parameters] = part.split(';');
      const q = parameters.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((value) => value !== undefined);
      return { tag: tag.trim(), q: q === undefined ? 1 : Number(q), index };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag);
}

/** The sign-in experience's `languageInfo` (Logto's): use the browser's language or not, and the fallback. */
export interface LanguagePolicy {
  readonly autoDetect?: unknown;
  readonly fallbackLanguage?: unknown;
}

/**
 * As Logto's experience: `ui_locales` first, then `Accept-Language` (when the sign-in experience
 * auto-detects), then the experience's fallback language, then English.
 */
export function negotiateLocale(uiLocales: unknown, acceptLanguage: string | undefined, policy: LanguagePolicy = {}): Locale {
  const fromRequest = typeof uiLocales === 'string' ? matchLocale(uiLocales.split(/\s+/)) : undefined;
  const fromBrowser = policy.autoDetect === false ? undefined : matchLocale(acceptLanguageTags(acceptLanguage ?? ''));
  const fallback = typeof policy.fallbackLanguage === 'string' ? matchLocale([policy.fallbackLanguage]) : undefined;
  return fromRequest ?? fromBrowser ?? fallback ?? 'en';
}

interface LocaleContext {
  acceptLanguage: string | undefined;
  uiLocales: unknown;
  /** The last authorization request's ui_locales (Logto's `_logto` cookie), for pages after it. */
  rememberedUiLocales: string | undefined;
  policy: LanguagePolicy;
}

/** Logto's cookie of the experience's shared parameters (`@logto/schemas` logtoCookieKey). */
const experienceCookie = '_logto';

/** Language tags only: whatever else a request carries never reaches a cookie. */
function cleanUiLocales(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const tags = value.split(/\s+/).filter((tag) => /^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$/.test(tag));
  return tags.length > 0 ? tags.slice(0, 10).join(' ') : undefined;
}

function rememberedUiLocales(cookieHeader: string | undefined): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== experienceCookie) continue;
    try {
      return cleanUiLocales((JSON.parse(decodeURIComponent(value.join('='))) as { uiLocales?: unknown }).uiLocales);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * Like Logto, an authorization request stores its `ui_locales` in the `_logto` cookie, so the
 * pages after the sign-in interaction (signed out, an expired page) keep the app's language.
 */
export function rememberUiLocales(res: ServerResponse, url: URL): void {
  const uiLocales = cleanUiLocales(url.searchParams.get('ui_locales'));
  const cookie = `${experienceCookie}=${encodeURIComponent(JSON.stringify(uiLocales ? { uiLocales } : {}))}; Path=/; SameSite=Lax; HttpOnly`;
  const existing = res.getHeader('Set-Cookie');
  res.setHeader('Set-Cookie', [...(Array.isArray(existing) ? existing : existing === undefined ? [] : [String(existing)]), cookie]);
  noteUiLocales(uiLocales);
}

const context = new AsyncLocalStorage<LocaleContext>();

/** Runs a request's handling with its language (from `Accept-Language` and any `ui_locales` in the URL). */
export function runWithRequestLocale<T>(
  request: { headers: { 'accept-language'?: string | undefined; cookie?: string | undefined }; url?: string | undefined },
  fn: () => T,
  policy: LanguagePolicy = {},
): T {
  let uiLocales: string | undefined;
  try {
    uiLocales = new URL(request.url ?? '/', 'http://localhost').searchParams.get('ui_locales') ?? undefined;
  } catch {
    uiLocales = undefined;
  }
  return context.run(
    {
      acceptLanguage: request.headers['accept-language'],
      uiLocales,
      rememberedUiLocales: rememberedUiLocales(request.headers.cookie),
      policy,
    },
    fn,
  );
}

/** The sign-in interaction's `ui_locales` (the app's language), once the interaction is known. */
export function noteUiLocales(uiLocales: unknown): void {
  const current = context.getStore();
  if (current && typeof uiLocales === 'string' && uiLocales.trim()) {
    current.uiLocales = uiLocales;
  }
}

export function currentLocale(): Locale {
  const current = context.getStore();
  return current ? negotiateLocale(current.uiLocales ?? current.rememberedUiLocales, current.acceptLanguage, current.policy) : 'en';
}

function fill(template: string, params: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}

/** A text in the current request's language, `{name}` filled from params. */
export function t(key: MessageKey, params: Readonly<Record<string, string | number>> = {}, locale: Locale = currentLocale()): string {
  return fill(messages[locale][key], params);
}

type CountedKey = 'minutes' | 'seconds' | 'attempts';

/** "10 minutes", "1 second", "10 分钟": a count with its unit. */
export function count(unit: CountedKey, n: number, locale: Locale = currentLocale()): string {
  const form = new Intl.PluralRules(locale).select(n) === 'one' ? 'one' : 'other';
  return t(`${unit}_${form}`, { count: n }, locale);
}

/**
 * A text with HTML in its parameters (a link, a bold address): the template text is escaped,
 * parameters that are `{ html }` go in as they are, other parameters are escaped.
 */
export function tHtml(key: MessageKey, params: Readonly<Record<string, string | number | { readonly html: string }>>): { html: string } {
  const template = messages[currentLocale()][key];
  let out = '';
  let last = 0;
  for (const match of template.matchAll(/\{(\w+)\}/g)) {
    out += escapeHtml(template.slice(last, match.index));
    const name = match[1] ?? '';
    const value = Object.hasOwn(params, name) ? params[name] : match[0];
    out += typeof value === 'object' && value !== null ? value.html : escapeHtml(value);
    last = (match.index ?? 0) + match[0].length;
  }
  return { html: out + escapeHtml(template.slice(last)) };
}

/** Looks up the request's sign-in interaction (if any) for its `ui_locales`; changes nothing. */
export async function noteInteractionLocale(
  provider: { interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<{ params: Record<string, unknown> }> },
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  try {
    noteUiLocales((await provider.interactionDetails(req, res)).params['ui_locales']);
  } catch {
    // No interaction (or an expired one): the browser's language decides.
  }
}
