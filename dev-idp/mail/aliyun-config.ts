/**
 * The Aliyun Direct Mail connector config: the very JSON a Logto Console user enters for the
 * connector, read from a file, with the access key pair optionally supplied by the environment.
 * Validated by the connector's own `configGuard` plus our rule that every template's content
 * carries `{{code}}`; every problem becomes one sentence naming the field and the template.
 */
import { readFile } from 'node:fs/promises';

import { loadAliyunDmConnector, type GuardIssue } from './aliyun-connector.ts';

export interface AliyunDmTemplate {
  readonly usageType: string;
  readonly subject: string;
  readonly content: string;
}

/** Field for field what the Logto Console stores for "Aliyun Direct Mail". */
export interface AliyunDmConfig {
  readonly accessKeyId: string;
  readonly accessKeySecret: string;
  readonly accountName: string;
  readonly fromAlias?: string;
  readonly regionId?: string;
  readonly templates: readonly AliyunDmTemplate[];
}

export const aliyunDmEnvironment = {
  configPath: 'ALIYUN_DM_CONFIG',
  accessKeyId: 'ALIYUN_DM_ACCESS_KEY_ID',
  accessKeySecret: 'ALIYUN_DM_ACCESS_KEY_SECRET',
  endpoint: 'ALIYUN_DM_ENDPOINT',
} as const;

/** Logto refuses a config without these four (the connector's guard enforces it). */
export const requiredUsageTypes = ['Register', 'SignIn', 'ForgotPassword', 'Generic'] as const;

/** The connector substitutes `{{ code }}` with or without inner spaces. */
const codePlaceholder = /{{\s*code\s*}}/;
const knownFields = new Set(['accessKeyId', 'accessKeySecret', 'accountName', 'fromAlias', 'regionId', 'templates']);

export class AliyunDmConfigError extends Error {
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super(`Aliyun DM connector config (${source}) is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'AliyunDmConfigError';
    this.problems = problems;
  }
}

type Log = (line: string) => void;

/** Reads, merges and validates a config file; throws AliyunDmConfigError naming every problem. */
export async function readAliyunDmConfig(path: string, env: NodeJS.ProcessEnv, log?: Log): Promise<AliyunDmConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'the file does not exist' : String(error);
    throw new AliyunDmConfigError(path, [`${path} cannot be read: ${reason}`]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new AliyunDmConfigError(path, [`the file is not valid JSON: ${(error as Error).message}`]);
  }
  return validateAliyunDmConfig(raw, { env, source: path, log });
}

export async function validateAliyunDmConfig(
  raw: unknown,
  { env, source, log }: { env: NodeJS.ProcessEnv; source: string; log?: Log },
): Promise<AliyunDmConfig> {
  if (!isRecord(raw)) {
    throw new AliyunDmConfigError(source, [`the config must be a JSON object, not ${describeType(raw)}`]);
  }
  const merged = mergeSecretsFromEnvironment(raw, env);
  const { connector } = await loadAliyunDmConnector(async () => merged);
  const result = connector.configGuard.safeParse(merged);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => describeIssue(issue, merged))),
    ...placeholderProblems(merged),
  ];
  if (!result.success || problems.length > 0) throw new AliyunDmConfigError(source, problems);
  for (const warning of configWarnings(merged)) log?.(`aliyun-dm: ${source}: ${warning}`);
  return result.data as AliyunDmConfig;
}

/**
 * ALIYUN_DM_ACCESS_KEY_ID / _SECRET win over the file, so a committed file can stay secret-free.
 * Blank values count as absent, so "" in the file reads as "missing", not as a key.
 */
export function mergeSecretsFromEnvironment(raw: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...raw };
  const fromEnvironment = {
    accessKeyId: env[aliyunDmEnvironment.accessKeyId],
    accessKeySecret: env[aliyunDmEnvironment.accessKeySecret],
  };
  for (const [field, value] of Object.entries(fromEnvironment)) {
    if (value?.trim()) merged[field] = value.trim();
  }
  for (const field of ['accessKeyId', 'accessKeySecret', 'accountName']) {
    if (typeof merged[field] === 'string' && (merged[field] as string).trim() === '') delete merged[field];
  }
  return merged;
}

/** One zod issue → one sentence that names the field (and the template, by usage type). */
export function describeIssue(issue: GuardIssue, config: Readonly<Record<string, unknown>>): string {
  const field = fieldName(issue.path, config);
  const top = issue.path[0];
  if (issue.code === 'invalid_type' && issue.received === 'undefined') {
    if (top === 'accessKeyId' || top === 'accessKeySecret') {
      const variable = top === 'accessKeyId' ? aliyunDmEnvironment.accessKeyId : aliyunDmEnvironment.accessKeySecret;
      return `${top} is missing: set ${variable} or put it in the file`;
    }
    if (field === 'accountName') {
      return 'accountName is missing: the sender address from the DirectMail console (Sender Addresses)';
    }
    if (field === 'templates') return `templates is missing: add one template each for ${listOf(requiredUsageTypes)}`;
    return `${field} is missing`;
  }
  if (issue.code === 'invalid_type') {
    return `${field} must be ${withArticle(String(issue.expected))}, not ${withArticle(String(issue.received))}`;
  }
  if (issue.code === 'invalid_enum_value') {
    return `${field} "${String(issue.received)}" is not one of ${(issue.options ?? []).join(', ')}`;
  }
  if (issue.code === 'custom' && field === 'templates' && Array.isArray(config.templates)) {
    const present = new Set(config.templates.map((template: unknown) => (isRecord(template) ? template.usageType : undefined)));
    const missing = requiredUsageTypes.filter((usageType) => !present.has(usageType));
    if (missing.length > 0) {
      return `templates has no ${listOf(missing)} template${missing.length > 1 ? 's' : ''} (Logto requires ${listOf(requiredUsageTypes)})`;
    }
  }
  return `${field}: ${issue.message}`;
}

/** Our own rule on top of the guard: a template that does not carry the code is useless. */
function placeholderProblems(config: Readonly<Record<string, unknown>>): string[] {
  if (!Array.isArray(config.templates)) return [];
  return config.templates.flatMap((template: unknown, index) =>
    isRecord(template) && typeof template.content === 'string' && !codePlaceholder.test(template.content)
      ? [`${fieldName(['templates', index, 'content'], config)} must contain {{code}}`]
      : [],
  );
}

function configWarnings(config: Readonly<Record<string, unknown>>): string[] {
  const warnings = Object.keys(config)
    .filter((key) => !knownFields.has(key))
    .map((key) => `ignoring unknown field "${key}" (the connector knows ${[...knownFields].join(', ')})`);
  const seen = new Set<unknown>();
  for (const template of Array.isArray(config.templates) ? config.templates : []) {
    const usageType: unknown = isRecord(template) ? template.usageType : undefined;
    if (seen.has(usageType)) warnings.push(`templates has two ${String(usageType)} templates; the connector uses the first`);
    seen.add(usageType);
  }
  return warnings;
}

/** `templates[usageType=SignIn].content` when the template names its usage type, else `templates[2].content`. */
function fieldName(path: readonly (string | number)[], config: Readonly<Record<string, unknown>>): string {
  if (path.length === 0) return 'the config';
  return path
    .map((segment, index) => {
      if (typeof segment !== 'number') return index === 0 ? segment : `.${segment}`;
      const parent = path[index - 1] === 'templates' && Array.isArray(config.templates) ? config.templates : undefined;
      const usageType: unknown = parent && isRecord(parent[segment]) ? parent[segment].usageType : undefined;
      return typeof usageType === 'string' && usageType ? `[usageType=${usageType}]` : `[${segment}]`;
    })
    .join('');
}

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

function withArticle(typeName: string): string {
  if (typeName === 'undefined' || typeName === 'null') return typeName;
  return /^[aeiou]/.test(typeName) ? `an ${typeName}` : `a ${typeName}`;
}

function describeType(value: unknown): string {
  return withArticle(Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
