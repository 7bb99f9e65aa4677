import { readFileSync } from 'node:fs';
import type * as Net from 'node:net';
import type * as Tls from 'node:tls';
import type { ConnectionOptions } from 'node:tls';

import type { Admin, Consumer, ISocketFactory, Kafka, KafkaConfig, LogEntry, logLevel, SASLOptions } from 'kafkajs';

import { PixError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { KafkaSettings } from '../settings.js';
import { sleep } from '../sleep.js';
import { withDeadline } from './deadline.js';
import { connectionFailureReason, fromKafkaError, unreachable } from './errors.js';
import { quietKafkajsNegativeTimers } from './kafkajs-timers.js';
import { tlsFailure } from './tls-failure.js';
import { PipelinedProducer } from './wire/producer.js';

/** Why an operation failed when --timeout passed with no answer and no socket error. */
const NO_ANSWER = 'the broker did not answer';
/** How long one close may take: a consumer leaving its group waits for the broker's answer. */
const CLOSE_BOUND_MS = 2_000;

/**
 * The one place pix builds Kafka clients. Every command gets its admin, producer and consumers
 * from here, so brokers, TLS, SASL, timeouts and logging are decided once. Admin and consumers are
 * kafkajs's, loaded on first use; the producer is pix's own pipelined one (wire/producer.ts), so
 * publishing never pays for kafkajs's import.
 */
export class KafkaClient {
  readonly settings: KafkaSettings;
  readonly logger: Logger;
  private kafkajs: Promise<Kafka> | undefined;
  private readonly open = new Set<{ disconnect(): Promise<void> }>();
  /**
   * The operations waiting now, each told of a TLS failure that no retry can cure: kafkajs retries
   * every socket error until its retries run out, and pix stops waiting as soon as the answer is known.
   */
  private readonly waiting = new Set<(error: PixError) => void>();
  /**
   * What the last socket to fail said (`connection refused`), until a socket connects: kafkajs
   * keeps it to itself while it retries, and a --timeout that passes meanwhile says it as the reason.
   */
  private lastSocketFailure: string | undefined;

  constructor(settings: KafkaSettings, logger: Logger) {
    this.settings = settings;
    this.logger = logger;
  }

  /** An admin client, connected, or a clear error once --timeout has passed. */
  async admin(): Promise<Admin> {
    const admin = (await this.kafka()).admin({ retry: this.retry() });
    await this.connect(admin);
    return admin;
  }

  /**
   * The idempotent producer (acks=all) for these topics, connected. A missing topic fails at once,
   * naming it: topics are created on purpose with `pix topics create`, never by publishing.
   */
  async producer(topics: readonly string[]): Promise<PipelinedProducer> {
    const { settings } = this;
    const producer = await this.withinTimeout(
      PipelinedProducer.connect(
        {
          brokers: settings.brokers,
          clientId: settings.clientId,
          timeoutMs: settings.timeoutMs,
          retry: this.retry(),
          debug: (line) => this.logger.debug(`kafka ${line}`),
          ...(settings.tls ? { tls: tlsOptions(settings.tls) } : {}),
          ...(settings.sasl ? { sasl: settings.sasl } : {}),
        },
        topics,
      ),
    );
    this.open.add(producer);
    return producer;
  }

  /**
   * A consumer in `groupId`, connected; the caller subscribes and runs it. With `selfRestart`
   * false, a crash is left to the caller: kafkajs would otherwise rejoin from the committed (or
   * first) offsets and hand over again what was already read.
   */
  async consumer(
    groupId: string,
    { selfRestart = true, privateGroup = false }: { selfRestart?: boolean; privateGroup?: boolean } = {},
  ): Promise<Consumer> {
    const consumer = (await this.kafka()).consumer({
      groupId,
      // A group of one pix reader: when it rejoins after losing the cluster, the coordinator waits
      // for its old self to time out first. Ten seconds (the broker's least is six), not thirty.
      ...(privateGroup ? { sessionTimeout: 10_000, rebalanceTimeout: 10_000, heartbeatInterval: 1_000 } : {}),
      allowAutoTopicCreation: false,
      // One product's events all sit on one partition; small waits keep a live view live.
      maxWaitTimeInMs: 250,
      retry: { ...this.retry(), ...(selfRestart ? {} : { restartOnFailure: async () => false }) },
    });
    await this.connect(consumer);
    return consumer;
  }

  /** Runs one Kafka operation within --timeout (the settings' timeoutMs), with kafkajs's errors turned into pix's. */
  async withinTimeout<T>(work: Promise<T>): Promise<T> {
    return this.withinTimeoutOr(work, () => this.noAnswer());
  }

  /**
   * `ask()`, asked again while it fails in a way that may pass (a dropped connection, a broker that
   * did not answer in time), each wait longer, until --timeout; then its last failure. Only for
   * questions that change nothing on the cluster (Metadata, ListOffsets, OffsetFetch), which the
   * protocol guide has a client ask again after a connection error, with fresh metadata. kafkajs's
   * admin gives such a question up at the first dropped connection.
   */
  async askWithinTimeout<T>(ask: () => Promise<T>): Promise<T> {
    const stopped = new AbortController();
    // A function, not the property: the deadline aborts while a question or a wait is under way.
    const over = (): boolean => stopped.signal.aborted;
    let last: PixError | undefined;
    const asking = async (): Promise<T> => {
      for (let wait = 100; ; wait = Math.min(2 * wait, 1_000)) {
        try {
          return await ask();
        } catch (error) {
          last = this.translate(error);
          if (!last.retryable || over()) throw last;
        }
        await sleep(wait, stopped.signal);
        if (over()) throw last;
      }
    };
    try {
      return await this.withinTimeoutOr(asking(), () => last ?? this.noAnswer());
    } finally {
      stopped.abort();
    }
  }

  /**
   * `work` within --timeout, or the error `onTimeout` makes once it has passed; its failure in pix's
   * words, and cut short by a failure no retry cures.
   */
  private async withinTimeoutOr<T>(work: Promise<T>, onTimeout: () => PixError): Promise<T> {
    let giveUp: (error: PixError) => void = () => undefined;
    const final = new Promise<never>((_resolve, reject) => (giveUp = reject));
    this.waiting.add(giveUp);
    try {
      return await withDeadline(Promise.race([work, final]), this.settings.timeoutMs, onTimeout);
    } catch (error) {
      throw this.translate(error);
    } finally {
      this.waiting.delete(giveUp);
    }
  }

  /** --timeout passed without an answer: the reason is the last socket failure, if any. */
  private noAnswer(): PixError {
    return unreachable(this.settings.brokers, this.settings.timeoutMs, this.lastSocketFailure ?? NO_ANSWER);
  }

  translate(error: unknown): PixError {
    return fromKafkaError(error, this.settings);
  }

  /** Disconnects one client this client opened, within the close bound. */
  async release(client: { disconnect(): Promise<void> }): Promise<void> {
    this.open.delete(client);
    await withDeadline(client.disconnect(), CLOSE_BOUND_MS, () => new Error('disconnect timed out')).catch(
      (error: unknown) => this.logger.debug(`kafka: disconnect: ${(error as Error).message}`),
    );
  }

  /** Disconnects everything this client opened. Safe to call twice, and never waits for long. */
  async close(): Promise<void> {
    const clients = [...this.open];
    this.open.clear();
    await Promise.all(clients.map((client) => this.release(client)));
  }

  private kafka(): Promise<Kafka> {
    this.kafkajs ??= Promise.all([import('kafkajs'), import('node:net'), import('node:tls')]).then(
      ([{ default: kafkajs }, net, tls]) => {
        quietKafkajsNegativeTimers();
        return new kafkajs.Kafka({
          ...kafkaConfig(this.settings, this.logger, kafkajs.logLevel),
          socketFactory: watchedSockets(net, tls, {
            onFinal: (error) => {
              for (const giveUp of this.waiting) giveUp(error);
            },
            onFailure: (reason) => (this.lastSocketFailure = reason),
          }),
        });
      },
    );
    return this.kafkajs;
  }

  private async connect(client: { connect(): Promise<void>; disconnect(): Promise<void> }): Promise<void> {
    this.open.add(client);
    const connecting = client.connect();
    try {
      await this.withinTimeout(connecting);
    } catch (error) {
      // kafkajs goes on retrying after the deadline; once it settles, its sockets must be closed.
      this.open.delete(client);
      void connecting.then(
        () => client.disconnect(),
        () => client.disconnect(),
      );
      throw error;
    }
  }

  /** Retries that fit inside --timeout: each wait grows, none longer than two seconds. */
  private retry(): { initialRetryTime: number; maxRetryTime: number; retries: number } {
    return {
      initialRetryTime: 200,
      maxRetryTime: 2_000,
      retries: Math.max(2, Math.ceil(this.settings.timeoutMs / 1_000)),
    };
  }
}

/**
 * kafkajs's sockets, made as its own factory makes them (SNI for names only, RFC 6066 §3), each
 * watched: a TLS failure that retrying cannot cure ends the wait at once (`onFinal`), and any
 * failure is told as its reason, or undefined once a socket connects (`onFailure`).
 */
function watchedSockets(
  net: typeof Net,
  tls: typeof Tls,
  watch: { onFinal: (error: PixError) => void; onFailure: (reason: string | undefined) => void },
): ISocketFactory {
  return ({ host, port, ssl: given, onConnect }) => {
    // kafkajs's types call it always there; without TLS settings it passes nothing.
    const ssl = given as ConnectionOptions | undefined;
    const socket = ssl
      ? tls.connect({ host, port, ...(net.isIP(host) === 0 ? { servername: host } : {}), ...ssl }, onConnect)
      : net.connect({ host, port }, onConnect);
    // Keep-alive as kafkajs sets it: a peer that vanished without a word is noticed.
    socket.setKeepAlive(true, 60_000);
    socket.once(ssl ? 'secureConnect' : 'connect', () => watch.onFailure(undefined));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      watch.onFailure(connectionFailureReason(error));
      const final = ssl ? tlsFailure(error, `${host}:${port}`) : undefined;
      if (final) watch.onFinal(final);
    });
    return socket;
  };
}

type KafkaLogLevels = typeof logLevel;

function kafkaConfig(settings: KafkaSettings, logger: Logger, KafkaLogLevel: KafkaLogLevels): KafkaConfig {
  const levels = {
    silent: KafkaLogLevel.NOTHING,
    error: KafkaLogLevel.ERROR,
    warn: KafkaLogLevel.WARN,
    info: KafkaLogLevel.INFO,
    debug: KafkaLogLevel.DEBUG,
  } as const;
  return {
    brokers: settings.brokers,
    clientId: settings.clientId,
    connectionTimeout: Math.min(settings.timeoutMs, 3_000),
    authenticationTimeout: Math.min(settings.timeoutMs, 10_000),
    ...(settings.tls ? { ssl: tlsOptions(settings.tls) } : {}),
    // One object for three mechanisms: kafkajs types each mechanism as its own literal.
    ...(settings.sasl ? { sasl: settings.sasl as SASLOptions } : {}),
    // kafkajs skips building the entries of levels it is not asked for: cheaper than dropping them.
    logLevel: levels[logger.level],
    logCreator: () => (entry: LogEntry) => logKafkaEntry(logger, entry, KafkaLogLevel),
  };
}

/** What a PEM file of each kind holds (RFC 7468): a file without it is no certificate or key. */
const PEM_FILES = {
  'tls-ca': { label: /-----BEGIN CERTIFICATE-----/, shown: '-----BEGIN CERTIFICATE-----', kind: 'certificate' },
  'tls-cert': { label: /-----BEGIN CERTIFICATE-----/, shown: '-----BEGIN CERTIFICATE-----', kind: 'certificate' },
  'tls-key': {
    label: /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
    shown: '-----BEGIN … PRIVATE KEY-----',
    kind: 'private key',
  },
} as const;

function tlsOptions(tls: NonNullable<KafkaSettings['tls']>): ConnectionOptions {
  const read = (path: string, what: keyof typeof PEM_FILES): Buffer => {
    let pem: Buffer;
    try {
      pem = readFileSync(path);
    } catch (error) {
      throw new PixError('INVALID_INPUT', `${what}: cannot read ${path}: ${(error as Error).message}`);
    }
    // Said now, not as a handshake that fails on every retry until --timeout.
    const { label, shown, kind } = PEM_FILES[what];
    if (!label.test(pem.toString('latin1'))) {
      throw new PixError('INVALID_INPUT', `${what}: ${path} is not a PEM ${kind} (no ${shown} line)`, {
        hint: 'PEM is the text form: `openssl x509 -inform der -in FILE -out FILE.pem` converts a DER certificate',
      });
    }
    return pem;
  };
  return {
    rejectUnauthorized: !tls.insecure,
    ...(tls.ca ? { ca: [read(tls.ca, 'tls-ca')] } : {}),
    ...(tls.cert ? { cert: read(tls.cert, 'tls-cert') } : {}),
    ...(tls.key ? { key: read(tls.key, 'tls-key') } : {}),
  };
}

/** kafkajs's log lines, through pix's logger: silent unless --log-level asks for them. */
function logKafkaEntry(logger: Logger, entry: LogEntry, KafkaLogLevel: KafkaLogLevels): void {
  const { message, timestamp: _timestamp, logger: _name, ...extra } = entry.log;
  const line = `kafkajs ${entry.namespace}: ${message}`;
  switch (entry.level) {
    case KafkaLogLevel.ERROR:
      logger.error(line, extra);
      break;
    case KafkaLogLevel.WARN:
      logger.warn(line, extra);
      break;
    case KafkaLogLevel.INFO:
      logger.info(line, extra);
      break;
    default:
      logger.debug(line, extra);
  }
}
