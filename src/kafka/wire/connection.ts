import { connect as connectTcp, isIP, type Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';

import { connectionError as kafkaConnectionError, type KafkaError } from '../kafka-error.js';
import { tlsFailure } from '../tls-failure.js';
import { Reader, Writer } from './buffers.js';
import { authenticate, type SaslCredentials } from './sasl.js';

/** The largest answer taken: pix asks for metadata and produce results, never for fetched records. */
const MAX_ANSWER_BYTES = 64 * 1024 * 1024;

export interface BrokerAddress {
  host: string;
  port: number;
}

/** `host:port` (an IPv6 host in brackets or not) as an address to connect to. */
export function brokerAddress(broker: string): BrokerAddress {
  const separator = broker.lastIndexOf(':');
  return { host: broker.slice(0, separator).replace(/^\[|\]$/g, ''), port: Number(broker.slice(separator + 1)) };
}

export interface ConnectionOptionsForPix {
  clientId: string;
  /** Bounds each request, and the connection unless connectTimeoutMs says otherwise. */
  timeoutMs: number;
  /** Bounds the TCP (and TLS) connection alone. */
  connectTimeoutMs?: number;
  tls?: ConnectionOptions;
  sasl?: SaslCredentials;
}

interface Pending {
  resolve: (body: Reader) => void;
  reject: (error: KafkaError) => void;
  timer: NodeJS.Timeout;
}

/**
 * One socket to one broker: requests go out as soon as they are made and answers are matched by
 * correlation id, so many requests can be in flight at once (the broker answers them in order).
 */
export class BrokerConnection {
  private nextCorrelationId = 1;
  private readonly pending = new Map<number, Pending>();
  private received: Buffer = Buffer.alloc(0);
  private failure: KafkaError | undefined;

  private constructor(
    readonly address: BrokerAddress,
    private readonly socket: Socket,
    private readonly options: ConnectionOptionsForPix,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => this.fail(connectionError(address, error)));
    socket.on('close', () =>
      this.fail(kafkaConnectionError('CONNECTION_CLOSED', 'Closed connection', brokerName(address))),
    );
  }

  static async open(address: BrokerAddress, options: ConnectionOptionsForPix): Promise<BrokerConnection> {
    // node:tls is loaded only for TLS: one event in plain text starts without it.
    const socket = options.tls
      ? (await import('node:tls')).connect({
          ...options.tls,
          host: address.host,
          port: address.port,
          // SNI names a host, never an address (RFC 6066 §3); Node warns (DEP0123) when given one.
          ...(isIP(address.host) === 0 ? { servername: address.host } : {}),
        })
      : connectTcp({ host: address.host, port: address.port });
    socket.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(kafkaConnectionError('CONNECTION_FAILED', 'Connection timeout', brokerName(address)));
      }, options.connectTimeoutMs ?? options.timeoutMs);
      socket.once(options.tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve();
      });
      socket.once('error', (error: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        socket.destroy();
        reject((options.tls && tlsFailure(error, brokerName(address))) || connectionError(address, error));
      });
    });
    const connection = new BrokerConnection(address, socket, options);
    if (options.sasl) {
      try {
        await authenticate(connection, options.sasl);
      } catch (error) {
        connection.close();
        throw error;
      }
    }
    return connection;
  }

  get broken(): boolean {
    return this.failure !== undefined;
  }

  /**
   * Sends one request and resolves with the body of its answer (after the correlation id), or
   * rejects once `timeoutMs` (by default the connection's) has passed without one. A request that
   * was written and got no answer rejects with an error `inDoubt`; one on a broken connection, not.
   */
  request(
    apiKey: number,
    apiVersion: number,
    body: (writer: Writer) => void,
    timeoutMs = this.options.timeoutMs,
  ): Promise<Reader> {
    if (this.failure) return Promise.reject(this.failure);
    const correlationId = this.nextCorrelationId++;
    // Record batches are attached, not copied (Writer.attached): the rest of a request is small.
    const writer = new Writer(320);
    writer.int32(0).int16(apiKey).int16(apiVersion).int32(correlationId).string(this.options.clientId);
    body(writer);
    const parts = writer.parts();
    const size = parts.reduce((total, part) => total + part.length, 0);
    (parts[0] as Buffer).writeInt32BE(size - 4, 0);
    return new Promise<Reader>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(correlationId);
        reject(
          kafkaConnectionError('REQUEST_TIMED_OUT_LOCALLY', 'Request timed out', brokerName(this.address)).asInDoubt(),
        );
      }, timeoutMs);
      this.pending.set(correlationId, { resolve, reject, timer });
      this.socket.cork();
      for (const part of parts) this.socket.write(part);
      this.socket.uncork();
    });
  }

  close(): void {
    this.fail(kafkaConnectionError('CONNECTION_CLOSED', 'Connection closed by pix', brokerName(this.address)));
  }

  private onData(chunk: Buffer): void {
    this.received = this.received.length === 0 ? chunk : Buffer.concat([this.received, chunk]);
    while (this.received.length >= 4) {
      const size = this.received.readInt32BE(0);
      // A size no answer of pix's requests comes near: the peer speaks something else (HTTP, TLS).
      if (size < 4 || size > MAX_ANSWER_BYTES) {
        this.fail(kafkaConnectionError('NOT_KAFKA', 'the peer does not speak Kafka', brokerName(this.address)));
        return;
      }
      if (this.received.length < 4 + size) return;
      const frame = this.received.subarray(4, 4 + size);
      this.received = this.received.subarray(4 + size);
      const reader = new Reader(frame);
      const correlationId = reader.int32();
      const pending = this.pending.get(correlationId);
      if (!pending) continue; // its request timed out; the answer is of no use now
      this.pending.delete(correlationId);
      clearTimeout(pending.timer);
      pending.resolve(reader);
    }
  }

  private fail(error: KafkaError): void {
    this.failure ??= error;
    const unanswered = this.failure.asInDoubt();
    for (const { reject, timer } of this.pending.values()) {
      clearTimeout(timer);
      reject(unanswered);
    }
    this.pending.clear();
    this.socket.destroy();
  }
}

/** host:port, as errors and logs name a broker. */
export function brokerName(address: BrokerAddress): string {
  return `${address.host}:${address.port}`;
}

/** A socket's failure, with Node's code (ECONNREFUSED…) that kafka/errors.ts words for a person. */
function connectionError(address: BrokerAddress, error: NodeJS.ErrnoException): KafkaError {
  return kafkaConnectionError(
    'CONNECTION_FAILED',
    `Connection error: ${error.message}`,
    brokerName(address),
    error.code,
  );
}
