import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import * as z from 'zod/mini';

import { parseDuration } from './duration.js';
import { PixError, warn } from './errors.js';
import { ORIGIN_PATTERN } from './events/schema.js';
import { isLogLevel, type LogLevel } from './logger.js';
import { shownText } from './printable.js';

const DEFAULT_BROKERS = ['127.0.0.1:9092'];
export const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_ORIGIN = 'local';
export const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export type SaslMechanism = (typeof SASL_MECHANISMS)[number];

interface TlsSettings {
  /** PEM file paths; unset means the system's trusted CAs and no client certificate. */
  ca?: string;
  cert?: string;
  key?: string;
  /** Accept any server certificate: for test clusters with self-signed certificates only. */
  insecure: boolean;
}

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  timeoutMs: number;
  tls?: TlsSettings;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
}

export interface Settings {
  kafka: KafkaSettings;
  origin: string;
  topicPrefix: string;
  logLevel: LogLevel;
  /** The config file that was read, if any: shown by `--log-level debug`. */
  configFile?: string;
  /** The named cluster of the config file these settings came from, if one was selected. */
  cluster?: string;
}

/** The settings a cluster carries of its own; the rest (timeout, topic prefix…) stay per command or file. */
const CLUSTER_SETTINGS = [
  'clientId',
  'tls',
  'tlsCa',
  'tlsCert',
  'tlsKey',
  'tlsInsecure',
  'saslMechanism',
  'saslUsername',
  'saslPassword',
] as const;

/**
 * The config file's schemas, made when a config file is first read: most commands run without
 * one, and making them took about 3 ms of every one-event publish (bench/RESULTS.md).
 */
function makeConfigSchemas() {
  const text = z.string({ error: 'must be text' });
  const trueOrFalse = z.union([z.boolean(), z.string()], { error: 'must be true or false' });
  const brokers = z.union([z.string(), z.array(z.string())], {
    error: 'must be host:port text, or a list of them',
  });
  /**
   * Every setting as text or flag value, before it is checked: one layer of flags, env or file.
   * The schema checks what a config file gives each setting (JSON can hold anything);
   * resolveSettings then applies each setting's own rule.
   */
  const settingsInput = z.partial(
    z.object({
      brokers,
      clientId: text,
      timeout: z.union([z.string(), z.number()], { error: 'must be a duration such as 10s, or a number of seconds' }),
      tls: trueOrFalse,
      tlsCa: text,
      tlsCert: text,
      tlsKey: text,
      tlsInsecure: trueOrFalse,
      saslMechanism: text,
      saslUsername: text,
      saslPassword: text,
      origin: text,
      topicPrefix: text,
      logLevel: text,
    }),
  );
  /**
   * A named cluster of the config file: where it is, how to log in, and its site (the origin of
   * what is published there). `saslPasswordEnv` names an environment variable that holds the
   * password, so the file need hold no secret.
   */
  const clusterEntry = z.extend(
    z.object({ brokers, site: z.optional(text), saslPasswordEnv: z.optional(text) }),
    z.pick(
      settingsInput,
      Object.fromEntries(CLUSTER_SETTINGS.map((key) => [key, true])) as Record<(typeof CLUSTER_SETTINGS)[number], true>,
    ).shape,
  );
  /** The config file: settings for every command, and named clusters, one of them maybe selected. */
  const configFile = z.extend(settingsInput, {
    clusters: z.optional(z.record(z.string(), clusterEntry)),
    currentCluster: z.optional(z.string({ error: 'must be the name of a cluster' })),
  });
  return {
    settingsInput,
    clusterEntry,
    configFile,
    /** The names the config file may set, and those a cluster of it may set, as the schemas have them. */
    configFields: new Set(Object.keys(configFile.shape)),
    clusterFields: new Set(Object.keys(clusterEntry.shape)),
  };
}

type ConfigSchemas = ReturnType<typeof makeConfigSchemas>;
let configSchemasMade: ConfigSchemas | undefined;
const configSchemas = (): ConfigSchemas => (configSchemasMade ??= makeConfigSchemas());

type SettingsInput = z.infer<ConfigSchemas['settingsInput']>;
export type ClusterEntry = z.infer<ConfigSchemas['clusterEntry']>;
export type ConfigFile = z.infer<ConfigSchemas['configFile']>;

/** A cluster's name: what `--cluster` takes. */
export const CLUSTER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/** Environment variable of each setting. */
const ENV_VARS = {
  brokers: 'PIX_BROKERS',
  clientId: 'PIX_CLIENT_ID',
  timeout: 'PIX_TIMEOUT',
  tls: 'PIX_TLS',
  tlsCa: 'PIX_TLS_CA',
  tlsCert: 'PIX_TLS_CERT',
  tlsKey: 'PIX_TLS_KEY',
  tlsInsecure: 'PIX_TLS_INSECURE',
  saslMechanism: 'PIX_SASL_MECHANISM',
  saslUsername: 'PIX_SASL_USERNAME',
  saslPassword: 'PIX_SASL_PASSWORD',
  origin: 'PIX_ORIGIN',
  topicPrefix: 'PIX_TOPIC_PREFIX',
  logLevel: 'PIX_LOG_LEVEL',
} as const satisfies Record<keyof SettingsInput, string>;

export function settingsFromEnv(env: NodeJS.ProcessEnv): SettingsInput {
  const input: Record<string, string> = {};
  for (const [key, name] of Object.entries(ENV_VARS)) {
    const value = env[name];
    if (value !== undefined && value !== '') input[key] = value;
  }
  return input;
}

/** `$PIX_CONFIG`, else `$XDG_CONFIG_HOME/pix/config.json`, else `~/.config/pix/config.json`. */
export function defaultConfigPath(env: NodeJS.ProcessEnv): string {
  if (env.PIX_CONFIG) return env.PIX_CONFIG;
  return join(env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'pix', 'config.json');
}

/** The largest config file pix reads: a few settings take a few hundred bytes. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Reads the config file: JSON with the same names as the flags in camelCase (`brokers`,
 * `clientId`, `timeout`, `saslMechanism`, …). A missing file is no error unless it was named
 * explicitly; a file that is not valid JSON always is.
 */
export function readConfigFile(path: string, explicit: boolean): ConfigFile | undefined {
  // A device or FIFO (--config-file /dev/zero) would be read for ever: a config is a small file.
  const kind = statSync(path, { throwIfNoEntry: false });
  if (kind && (!kind.isFile() || kind.size > MAX_CONFIG_BYTES)) {
    throw new PixError(
      'INVALID_INPUT',
      `config: ${path} ${kind.isFile() ? `is over ${MAX_CONFIG_BYTES / 1024} KiB` : 'is not a regular file'}`,
    );
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new PixError('INVALID_INPUT', `config: cannot read ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PixError('INVALID_INPUT', `config: ${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new PixError('INVALID_INPUT', `config: ${path} must hold a JSON object`);
  }
  const { configFile: configFileSchema, configFields: known } = configSchemas();
  const unknown = Object.keys(parsed).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new PixError('INVALID_INPUT', `config: ${path}: unknown setting ${unknown.join(', ')}`, {
      hint: `Known settings: ${[...known].join(', ')}.`,
    });
  }
  checkClusters(path, parsed);
  const checked = configFileSchema.safeParse(parsed);
  if (!checked.success) throw new PixError('INVALID_INPUT', `config: ${path}: ${issueText(checked.error.issues)}`);
  warnIfOthersCanRead(path, checked.data);
  return checked.data;
}

/** The first issue with a setting: where (`timeout`, `cluster lab: brokers`) and the rule. */
function issueText(issues: readonly z.core.$ZodIssue[]): string {
  const issue = issues[0];
  const [first, name, ...rest] = issue?.path.map(String) ?? [];
  const where = first === 'clusters' && name !== undefined ? `cluster ${shownText(name)}: ${rest.join('.')}` : first;
  return `${where ?? 'the file'}: ${issue?.message ?? 'is not valid'}`;
}

/** The clusters' names and fields, with hints; the config file's schema then checks their values. */
function checkClusters(path: string, file: object): void {
  const { clusters } = file as { clusters?: unknown };
  if (clusters === undefined) return;
  const { clusterFields } = configSchemas();
  if (typeof clusters !== 'object' || clusters === null || Array.isArray(clusters)) {
    throw new PixError('INVALID_INPUT', `config: ${path}: clusters must be an object of named clusters`);
  }
  for (const [name, entry] of Object.entries(clusters as Record<string, unknown>)) {
    const where = `config: ${path}: cluster ${shownText(name)}`;
    if (!CLUSTER_NAME_PATTERN.test(name)) {
      throw new PixError(
        'INVALID_INPUT',
        `${where}: a name is letters, digits, '.', '_' and '-', from a letter or digit`,
      );
    }
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new PixError('INVALID_INPUT', `${where} must be an object`);
    }
    const unknown = Object.keys(entry).filter((key) => !clusterFields.has(key));
    if (unknown.length > 0) {
      throw new PixError('INVALID_INPUT', `${where}: unknown setting ${unknown.join(', ')}`, {
        hint: `A cluster's settings: ${[...clusterFields].join(', ')}.`,
      });
    }
    if (!('brokers' in entry)) throw new PixError('INVALID_INPUT', `${where}: brokers is required`);
  }
}

/** The named cluster of the file, or an error naming it and the file. */
export function clusterEntry(file: ConfigFile | undefined, name: string, configPath: string): ClusterEntry {
  const clusters = file?.clusters ?? {};
  // hasOwn: a cluster named "constructor" is not the object's own property.
  const entry = Object.hasOwn(clusters, name) ? clusters[name] : undefined;
  if (!entry) {
    throw new PixError('INVALID_INPUT', `cluster: ${shownText(name)} is not a cluster of ${configPath}`, {
      hint: '`pix config list` shows the clusters; `pix config add-cluster NAME --brokers HOST:PORT` adds one.',
    });
  }
  return entry;
}

/**
 * The settings of the named cluster, as a layer under flags and the environment. A password named
 * by `saslPasswordEnv` is read from the environment now, and must be there.
 */
export function clusterLayer(
  file: ConfigFile | undefined,
  name: string,
  configPath: string,
  env: NodeJS.ProcessEnv,
): SettingsInput {
  const { site, saslPasswordEnv, ...settings } = clusterEntry(file, name, configPath);
  let saslPassword = settings.saslPassword;
  if (saslPasswordEnv !== undefined) {
    saslPassword = env[saslPasswordEnv];
    if (!saslPassword) {
      throw new PixError(
        'INVALID_INPUT',
        `cluster: ${name} reads its SASL password from $${saslPasswordEnv}, which is not set`,
        { hint: `Set it (export ${saslPasswordEnv}=…) before running pix.` },
      );
    }
  }
  return {
    ...settings,
    ...(saslPassword !== undefined ? { saslPassword } : {}),
    ...(site !== undefined ? { origin: site } : {}),
  };
}

/** A password in a file that other users of the machine can read is no secret: say so, once a run. */
function warnIfOthersCanRead(path: string, file: ConfigFile): void {
  const clusters = Object.values(file.clusters ?? {});
  if (!('saslPassword' in file) && !clusters.some((cluster) => 'saslPassword' in cluster)) return;
  const mode = statSync(path, { throwIfNoEntry: false })?.mode ?? 0;
  if ((mode & 0o077) === 0) return;
  warn(`${path} holds a password and others can read it (mode ${(mode & 0o777).toString(8)}): chmod 600 ${path}`);
}

/** Flag name → setting, for the flags that are also settings. */
const SETTING_FLAGS = {
  brokers: 'brokers',
  'client-id': 'clientId',
  timeout: 'timeout',
  'topic-prefix': 'topicPrefix',
  tls: 'tls',
  'tls-ca': 'tlsCa',
  'tls-cert': 'tlsCert',
  'tls-key': 'tlsKey',
  'tls-insecure': 'tlsInsecure',
  'sasl-mechanism': 'saslMechanism',
  'sasl-username': 'saslUsername',
  'sasl-password': 'saslPassword',
  origin: 'origin',
  'log-level': 'logLevel',
} as const satisfies Record<string, keyof SettingsInput>;

/** The config file a command reads: --config-file (or --config), else PIX_CONFIG, else the default. */
export function configFileOf(
  flags: { readonly 'config-file'?: unknown },
  env: NodeJS.ProcessEnv,
): { path: string; explicit: boolean } {
  const explicit = (flags['config-file'] as string | undefined) ?? (env.PIX_CONFIG || undefined);
  return { path: explicit ?? defaultConfigPath(env), explicit: explicit !== undefined };
}

/** A command's settings from its parsed flags, the environment and the config file. */
export function settingsFromFlags(
  flags: Readonly<Record<string, unknown>>,
  env: NodeJS.ProcessEnv,
  { selectCluster = true }: { selectCluster?: boolean } = {},
): Settings {
  // Without Kafka (pix config, pix local) a config file named but not made yet is no error:
  // `pix config add-cluster` makes it.
  const fromFlags: Record<string, unknown> = {};
  for (const [flag, setting] of Object.entries(SETTING_FLAGS)) {
    if (flags[flag] !== undefined) fromFlags[setting] = flags[flag];
  }
  const { path: configPath, explicit } = configFileOf(flags, env);
  const file = readConfigFile(configPath, explicit && selectCluster);
  const clusterName = selectCluster
    ? ((flags.cluster as string | undefined) ?? (env.PIX_CLUSTER || undefined) ?? file?.currentCluster)
    : undefined;
  const { clusters: _clusters, currentCluster: _current, ...fileSettings } = file ?? {};
  return resolveSettings({
    flags: fromFlags,
    env: settingsFromEnv(env),
    ...(clusterName !== undefined ? { cluster: clusterLayer(file, clusterName, configPath, env), clusterName } : {}),
    ...(file ? { file: fileSettings, configFile: configPath } : {}),
  });
}

/**
 * Flags win over the environment, which wins over the selected cluster of the config file, which
 * wins over the file's other settings, which win over defaults.
 */
export function resolveSettings(layers: {
  flags: SettingsInput;
  env: SettingsInput;
  cluster?: SettingsInput;
  clusterName?: string;
  file?: SettingsInput;
  configFile?: string;
}): Settings {
  const pick = <K extends keyof SettingsInput>(key: K): SettingsInput[K] =>
    layers.flags[key] ?? layers.env[key] ?? layers.cluster?.[key] ?? layers.file?.[key];

  const tls = resolveTls(pick);
  const sasl = resolveSasl(pick);
  const logLevel = pick('logLevel') ?? 'silent';
  if (!isLogLevel(logLevel)) {
    throw invalid('log-level', `must be one of silent, error, warn, info, debug (got '${shownText(logLevel)}')`);
  }
  const origin = pick('origin') ?? DEFAULT_ORIGIN;
  if (!ORIGIN_PATTERN.test(origin)) {
    throw invalid('origin', `must be a site name such as on-prem or cloud (got '${shownText(origin)}')`);
  }
  return {
    kafka: {
      brokers: parseBrokers(pick('brokers')),
      clientId: parseClientId(pick('clientId')),
      timeoutMs: parseTimeout(pick('timeout')),
      ...(tls ? { tls } : {}),
      ...(sasl ? { sasl } : {}),
    },
    origin,
    topicPrefix: parseTopicPrefix(pick('topicPrefix') ?? ''),
    logLevel,
    ...(layers.configFile ? { configFile: layers.configFile } : {}),
    ...(layers.clusterName !== undefined ? { cluster: layers.clusterName } : {}),
  };
}

function invalid(setting: string, rule: string): PixError {
  return new PixError('INVALID_INPUT', `${setting}: ${rule}`);
}

/**
 * A host name (RFC 1123: letters, digits, '-' and '.'; '_' too, as container names have it) or an
 * IP address, IPv6 in brackets where a port follows. Nothing else names a host, so nothing else
 * reaches a socket or a message.
 */
export const HOST_PATTERN =
  /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*\.?|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(?:%[A-Za-z0-9_.-]+)?)$/;

/**
 * Kafka's rule for a topic name (Topic.validate: at most 249 of letters, digits, '.', '_' and
 * '-'), applied to the prefix and the longest pix topic it comes before.
 */
const LONGEST_TOPIC = 'product-discount-update';
function parseTopicPrefix(prefix: string): string {
  if (!/^[A-Za-z0-9._-]*$/.test(prefix) || prefix.length + LONGEST_TOPIC.length > 249) {
    throw invalid(
      'topic-prefix',
      `must be at most ${249 - LONGEST_TOPIC.length} letters, digits, '.', '_' or '-', as Kafka's topic names are (got '${shownText(prefix)}')`,
    );
  }
  return prefix;
}

export function parseBrokers(value: string | string[] | undefined): string[] {
  if (value === undefined) return DEFAULT_BROKERS;
  const list = (Array.isArray(value) ? value : value.split(',')).map((item) => item.trim()).filter(Boolean);
  if (list.length === 0) throw invalid('brokers', 'must list at least one host:port');
  for (const broker of list) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:/]+):(\d{1,5})$/.exec(broker);
    const port = Number(match?.[2]);
    const host = match?.[1]?.replace(/^\[(.*)\]$/, '$1') ?? '';
    if (!match || !HOST_PATTERN.test(host) || port < 1 || port > 65_535) {
      throw invalid(
        'brokers',
        `each broker must be host:port with a port from 1 to 65535 (got '${shownText(broker)}')`,
      );
    }
  }
  return list;
}

/** Longest client id pix sends: it goes into every request header (an int16-prefixed string). */
const MAX_CLIENT_ID_LENGTH = 255;

function parseClientId(value: string | undefined): string {
  if (value === undefined) return 'pix';
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (value.length === 0 || value.length > MAX_CLIENT_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(value)) {
    const shown = value.length > 40 ? `${value.slice(0, 40)}… (${value.length} characters)` : value;
    throw invalid(
      'client-id',
      `must be 1 to ${MAX_CLIENT_ID_LENGTH} characters with no control characters (got '${JSON.stringify(shown).slice(1, -1)}')`,
    );
  }
  return value;
}

function parseTimeout(value: string | number | undefined): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS;
  const ms = typeof value === 'number' ? value * 1000 : parseDuration(value);
  if (ms === undefined || ms <= 0) {
    throw invalid(
      'timeout',
      `must be a positive duration such as 500ms, 10s or 1m (got '${shownText(String(value))}')`,
    );
  }
  return ms;
}

function truthy(setting: string, value: boolean | string | undefined): boolean {
  if (value === undefined || typeof value === 'boolean') return value ?? false;
  if (/^(1|true|yes|on)$/i.test(value)) return true;
  if (/^(0|false|no|off)$/i.test(value)) return false;
  throw invalid(setting, `must be true or false (got '${shownText(value)}')`);
}

type Pick = <K extends keyof SettingsInput>(key: K) => SettingsInput[K];

function resolveTls(pick: Pick): TlsSettings | undefined {
  const files = { ca: pick('tlsCa'), cert: pick('tlsCert'), key: pick('tlsKey') };
  const insecure = truthy('tls-insecure', pick('tlsInsecure'));
  const enabled = truthy('tls', pick('tls')) || insecure || Object.values(files).some(Boolean);
  if (!enabled) return undefined;
  if (Boolean(files.cert) !== Boolean(files.key)) {
    throw invalid('tls-cert', 'a client certificate needs both --tls-cert and --tls-key');
  }
  return {
    insecure,
    ...(files.ca ? { ca: files.ca } : {}),
    ...(files.cert ? { cert: files.cert } : {}),
    ...(files.key ? { key: files.key } : {}),
  };
}

function resolveSasl(pick: Pick): KafkaSettings['sasl'] {
  const mechanism = pick('saslMechanism')?.toLowerCase();
  const username = pick('saslUsername');
  const password = pick('saslPassword');
  if (mechanism === undefined) {
    if (username !== undefined || password !== undefined) {
      throw invalid(
        'sasl-mechanism',
        'is required with a SASL username or password (plain, scram-sha-256 or scram-sha-512)',
      );
    }
    return undefined;
  }
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw invalid('sasl-mechanism', `must be plain, scram-sha-256 or scram-sha-512 (got '${shownText(mechanism)}')`);
  }
  if (!username) throw invalid('sasl-username', `is required with SASL ${mechanism}`);
  if (password === undefined)
    throw invalid(
      'sasl-password',
      `is required with SASL ${mechanism} (PIX_SASL_PASSWORD keeps it out of the process list)`,
    );
  return { mechanism: mechanism as SaslMechanism, username, password };
}
