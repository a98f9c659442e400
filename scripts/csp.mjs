// The Content-Security-Policy of production web builds, from the build's
// app settings: the web fallback keeps tokens in localStorage, so no script may run but the
// build's own files. Delivered as a <meta> in index.html: static hosting and the Capacitor
// WebView (https://localhost, capacitor://localhost) have no server to send a header.
// docs/decisions.md explains each directive.
import { createHash } from 'node:crypto';

/**
 * The directives, in order. `connect-src` lists the identity provider and every API prefix.
 * `scriptHashes`: the 'sha256-…' of index.html's own inline scripts (the static return page's
 * few lines), each allowed by its exact hash and nothing else.
 */
export function policyDirectives(settings, scriptHashes = []) {
  const endpointOrigin = new URL(settings.logto.endpoint).origin;
  const apiPrefixes = (settings.apis ?? []).map((api) => new URL(api.urlPrefix).href);
  return [
    ['default-src', ["'self'"]],
    // The build's own files only: no inline script (critical-CSS inlining is off), no eval.
    ['script-src', unique(["'self'", ...scriptHashes])],
    // Angular adds component styles as <style> elements and Ionic's web components add theirs
    // at run time; neither can carry a per-response nonce on static hosting. Styles cannot run
    // script, and connect-src/img-src bound what a stylesheet could send out.
    ['style-src', ["'self'", "'unsafe-inline'"]],
    // Profile pictures come from wherever the person's identity provider keeps them (https).
    ['img-src', ["'self'", 'data:', 'https:']],
    ['font-src', ["'self'"]],
    ['connect-src', unique(["'self'", endpointOrigin, ...apiPrefixes])],
    ['object-src', ["'none'"]],
    ['base-uri', ["'self'"]],
    ['form-action', ["'self'"]],
  ];
}

export function contentSecurityPolicy(settings, scriptHashes = []) {
  return policyDirectives(settings, scriptHashes)
    .map(([name, sources]) => `${name} ${sources.join(' ')}`)
    .join('; ');
}

/** `script-src 'self'; ...` → Map of directive → sources. */
export function parsePolicy(policy) {
  const directives = new Map();
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !directives.has(name.toLowerCase())) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

const metaPattern = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"\s*\/?>/i;

/** The policy of a built index.html, or undefined. */
export function policyOf(html) {
  const match = metaPattern.exec(html);
  return match ? match[1].replaceAll('&#39;', "'").replaceAll('&quot;', '"').replaceAll('&amp;', '&') : undefined;
}

/**
 * A build's own modulepreload hint (`<link rel="modulepreload" href="/main-….js">`: a file name,
 * alone or after a path such as the build's base `/`, never another origin, `..` or a query):
 * the only element allowed above the policy (see withPolicy). Its file name is the first group.
 */
export const OWN_PRELOAD = /<link rel="modulepreload" href="(?:\/(?:[\w-]+\/)*)?([\w-]+(?:\.[\w-]+)*\.js)">/i;

/**
 * index.html with the policy at the top of <head>: right after <meta charset> and the build's own
 * modulepreload hints (scripts/merge-initial-chunks.mjs writes the entry's there), before anything
 * else (it governs only what follows it). The hints stay above it because Chromium's preload
 * scanner stops at a policy <meta>: below it, `main` was requested only once the parser reached
 * it (docs/decisions.md). A hint only fetches one of the build's own files, which script-src
 * 'self' allows anyway; the module runs from the <script> below the policy.
 */
export function withPolicy(html, policy) {
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy.replaceAll('&', '&amp;').replaceAll('"', '&quot;')}">`;
  const cleaned = html.replace(metaPattern, '');
  const top = headTop(cleaned);
  const at = top + (new RegExp(`^(?:\\s*${OWN_PRELOAD.source})*`, 'i').exec(cleaned.slice(top))?.[0].length ?? 0);
  return `${cleaned.slice(0, at)}\n    ${meta}${cleaned.slice(at)}`;
}

/** Where the top of index.html's <head> is: just after `<head>` and its `<meta charset>`, if any. */
export function headTop(html) {
  const head = /<head[^>]*>(\s*<meta\s+charset=[^>]*>)?/i.exec(html);
  if (!head) throw new Error('index.html has no <head>');
  return head.index + head[0].length;
}

/** Inline <script> elements (no src) with their 'sha256-…' source expressions. */
export function inlineScripts(html) {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
    .filter((match) => !/\bsrc\s*=/.test(match[1]))
    .map((match) => ({ text: match[2], hash: `'sha256-${createHash('sha256').update(match[2], 'utf8').digest('base64')}'` }));
}

function unique(values) {
  return [...new Set(values)];
}
