import { Args, Flags } from '@oclif/core';

import { parseDuration } from '../duration.js';
import { PixError } from '../errors.js';
import { EVENT_TYPES, isEventType, type EventType } from '../events/schema.js';
import { MAX_LOCAL_NODES } from '../local/paths.js';
import { LOG_LEVELS } from '../logger.js';
import type { StartRule } from '../kafka/index.js';
import { HOST_PATTERN, SASL_MECHANISMS } from '../settings.js';
import { shownText } from '../printable.js';

/** A duration such as `500ms`, `10s`, `5m`; parsed to milliseconds. */
export const durationFlag = Flags.custom<number>({
  parse: async (input) => {
    const ms = parseDuration(input);
    if (ms === undefined) throw new Error(`must be a duration such as 500ms, 10s or 5m (got '${shownText(input)}')`);
    return ms;
  },
});

/**
 * A point in time: a duration back from now (`10m`, `2h`) or an ISO 8601 timestamp; parsed to
 * milliseconds since the epoch.
 */
export const sinceFlag = Flags.custom<number>({
  parse: async (input) => {
    const ago = parseDuration(input);
    if (ago !== undefined) return Date.now() - ago;
    const at = /^\d{4}-\d{2}-\d{2}T/.test(input) ? Date.parse(input) : Number.NaN;
    if (Number.isNaN(at)) {
      throw new Error(
        `must be a duration back from now such as 10m, or a time such as 2026-11-25T10:00:00Z (got '${shownText(input)}')`,
      );
    }
    return at;
  },
});

/** A whole number within bounds, checked by the flag so the message names it. */
export const integerFlag = (bounds: { min: number; max?: number }) =>
  Flags.custom<number>({
    parse: async (input) => {
      const value = Number(input);
      if (!/^\d+$/.test(input.trim()) || value < bounds.min || (bounds.max !== undefined && value > bounds.max)) {
        const range = bounds.max === undefined ? `≥ ${bounds.min}` : `from ${bounds.min} to ${bounds.max}`;
        throw new Error(`must be a whole number ${range} (got '${shownText(input)}')`);
      }
      return value;
    },
  });

/** A host name or an IP address (see HOST_PATTERN), as a server binds to or answers for it. */
export const hostFlag = Flags.custom({
  parse: async (input) => {
    if (!HOST_PATTERN.test(input)) {
      throw new Error(`must be a host name or an IP address such as 127.0.0.1 or ::1 (got '${shownText(input)}')`);
    }
    return input;
  },
});

/** Event types as positional arguments: `pix consume price discount`. */
export function parseEventTypes(inputs: readonly string[]): EventType[] {
  for (const input of inputs) {
    if (!isEventType(input)) {
      throw new PixError(
        'INVALID_INPUT',
        `type: '${shownText(input)}' is not an event type; use ${EVENT_TYPES.join(', ')}`,
      );
    }
  }
  return inputs.length === 0 ? [...EVENT_TYPES] : [...new Set(inputs as EventType[])];
}

const KAFKA = 'KAFKA';
const GLOBAL = 'GLOBAL';

/** Flags that have nothing to do with Kafka, which every command takes. */
export const globalFlags = {
  'config-file': Flags.string({
    aliases: ['config'],
    summary: 'Config file (JSON). Default $XDG_CONFIG_HOME/pix/config.json. Env: PIX_CONFIG.',
    helpGroup: GLOBAL,
  }),
  'log-level': Flags.string({
    summary: "Diagnostics on stderr, the Kafka client's included. Default silent. Env: PIX_LOG_LEVEL.",
    options: [...LOG_LEVELS],
    helpGroup: GLOBAL,
  }),
};

/**
 * The flags every command shares. None has a default here: a flag that is not given leaves the
 * setting to PIX_* variables, then the config file (see settings.ts).
 */
export const sharedFlags = {
  cluster: Flags.string({
    summary: 'A named cluster of the config file (pix config list). Env: PIX_CLUSTER. Default: pix config use.',
    helpGroup: KAFKA,
  }),
  brokers: Flags.string({
    char: 'b',
    summary: 'Bootstrap brokers, host:port[,host:port…]. Default 127.0.0.1:9092. Env: PIX_BROKERS.',
    helpGroup: KAFKA,
  }),
  'client-id': Flags.string({ summary: 'Kafka client id. Default pix. Env: PIX_CLIENT_ID.', helpGroup: KAFKA }),
  timeout: Flags.string({
    summary: 'How long to wait for the broker before giving up (exit 3). Default 10s. Env: PIX_TIMEOUT.',
    helpGroup: KAFKA,
  }),
  'topic-prefix': Flags.string({
    summary: 'Prefix of every topic name, such as "staging." Env: PIX_TOPIC_PREFIX.',
    helpGroup: KAFKA,
  }),
  tls: Flags.boolean({ summary: 'Connect with TLS. Env: PIX_TLS=true.', helpGroup: KAFKA, allowNo: false }),
  'tls-ca': Flags.string({ summary: 'CA certificate (PEM file) to trust. Env: PIX_TLS_CA.', helpGroup: KAFKA }),
  'tls-cert': Flags.string({ summary: 'Client certificate (PEM file). Env: PIX_TLS_CERT.', helpGroup: KAFKA }),
  'tls-key': Flags.string({ summary: 'Client key (PEM file). Env: PIX_TLS_KEY.', helpGroup: KAFKA }),
  'tls-insecure': Flags.boolean({
    summary: 'Accept any server certificate (test clusters only). Env: PIX_TLS_INSECURE=true.',
    helpGroup: KAFKA,
  }),
  'sasl-mechanism': Flags.string({
    summary: 'SASL mechanism. Env: PIX_SASL_MECHANISM.',
    options: [...SASL_MECHANISMS],
    helpGroup: KAFKA,
  }),
  'sasl-username': Flags.string({ summary: 'SASL username. Env: PIX_SASL_USERNAME.', helpGroup: KAFKA }),
  'sasl-password': Flags.string({
    summary: 'SASL password; prefer PIX_SASL_PASSWORD, which stays out of the process list.',
    helpGroup: KAFKA,
  }),
  ...globalFlags,
};

/** Where a local broker listens; `pix local start|stop|status` all take it, to tell instances apart. */
export const localBrokerFlags = {
  port: integerFlag({ min: 1, max: 65_535 })({
    char: 'p',
    summary: 'Port of the broker (of node 1 in a cluster; node N listens on port + 2(N − 1)). Default 9092.',
    env: 'PIX_LOCAL_PORT',
  }),
  name: Flags.string({
    summary: 'A local cluster by name (on-prem, cloud…): its own ports, found again by name.',
  }),
};

/** The two sides of `pix local mirror`: named clusters of the config file. */
export const mirrorFlags = {
  from: Flags.string({ summary: 'The source cluster (a named cluster of the config file).', required: true }),
  to: Flags.string({ summary: 'The target cluster (a named cluster of the config file).', required: true }),
};

/** One node of a local cluster, for `pix local start|stop --node N`. */
export const localNodeFlag = {
  node: integerFlag({ min: 1, max: MAX_LOCAL_NODES })({
    summary: 'Only this node of the cluster (1 is the one on --port).',
  }),
};

/** Event types as positional arguments of the commands that read: all three when none is named. */
export const typesArg = {
  types: Args.string({
    description: `Event types: ${EVENT_TYPES.join(', ')} (default: all).`,
    required: false,
  }),
};

/** Where reading starts, from startFlags: what the consumer and the live feed take. */
export function startPoint(flags: {
  'from-beginning': boolean;
  since?: number | undefined;
  group?: string | undefined;
}): StartRule {
  // oclif's own check for exclusive flags would show --since as the milliseconds it was parsed to.
  if (flags['from-beginning'] && flags.since !== undefined) {
    throw new PixError('INVALID_INPUT', '--from-beginning and --since are two places to start: give one');
  }
  return {
    fromBeginning: flags['from-beginning'],
    ...(flags.since !== undefined ? { since: flags.since } : {}),
    ...(flags.group ? { groupId: flags.group } : {}),
  };
}

/** Where reading starts: `pix consume`, `pix tui` and `pix serve-dashboard` take the same flags. */
export const startFlags = {
  'from-beginning': Flags.boolean({ summary: 'Start at the oldest event still on the topics, not at new ones.' }),
  since: sinceFlag({
    summary: "Start at events written since then: 10m, 2h, or 2026-11-25T10:00:00Z (over a group's offsets).",
  }),
  group: Flags.string({ char: 'g', summary: 'Consumer group: commit offsets, and resume from them next time.' }),
};

/** What `pix consume`, `pix tui` and `pix serve-dashboard` read besides this cluster's own topics. */
export const mirroredTopicsFlag = {
  'local-only': Flags.boolean({
    summary:
      "Read this cluster's own topics only, not the copies MirrorMaker 2 made here of other sites' (on-prem.product-price-update…).",
  }),
};

const METRICS = 'METRICS';

/** Prometheus metrics of a long-running command (consume, tui, simulate). */
export const metricsFlags = {
  'metrics-port': integerFlag({ min: 0, max: 65_535 })({
    summary: 'Serve Prometheus metrics on http://HOST:PORT/metrics while running (0 picks a free port).',
    helpGroup: METRICS,
  }),
  'metrics-host': Flags.string({
    summary: 'Address the metrics port listens on (0.0.0.0 for a Prometheus elsewhere).',
    default: '127.0.0.1',
    helpGroup: METRICS,
  }),
};

/** Where one-shot publishing pushes its metrics. */
export const pushgatewayFlags = {
  pushgateway: Flags.string({
    summary: 'Push the counters and produce latency to this Prometheus Pushgateway (job pix_publish).',
    env: 'PIX_PUSHGATEWAY',
    helpGroup: METRICS,
  }),
};
