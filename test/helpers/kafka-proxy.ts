import { connect, createServer, type Server, type Socket } from 'node:net';
import { brokerAddress } from '../../src/kafka/wire/connection.js';
import { sleep } from '../../src/sleep.js';

/**
 * A TCP proxy between pix and real brokers, for faults: it delays answers, drops connections with
 * requests in flight, and counts what is in flight. It reads Kafka's framing (a 4-byte size, then
 * api key, version and correlation id) and rewrites the broker ports in Metadata answers (v1 to
 * v8, which pix's producer and kafkajs use) to its own, so clients keep talking through it.
 */
export interface KafkaProxy {
  /** host:port of the proxy for each upstream broker, in the order given. */
  brokers: string[];
  /** Holds every answer this long before passing it on (0: none). */
  delayAnswers(ms: number): void;
  /** The most requests of `apiKey` seen awaiting their answer on one client connection. */
  maxInFlight(apiKey: number): number;
  /** How many requests of `apiKey` were answered. */
  answered(apiKey: number): number;
  /** Client connections taken since the start (`opened`), and those not closed yet (`open`). */
  connections(): { opened: number; open: number };
  /**
   * The proxy of upstream broker `index` takes connections and passes nothing either way while
   * `silent` holds, as a broker behind a network that drops packets: what is sent is lost.
   */
  blackHole(index: number, silent: boolean): void;
  /**
   * How many requests to upstream broker `index` its black hole lost: dropped on their way, or
   * taken by the broker and their answers dropped (requests in flight when the silence began).
   */
  lost(index: number): number;
  /** Closes every connection now, requests in flight or not. */
  dropConnections(): void;
  /**
   * The next `count` requests of `apiKey` close the connection they came on instead of reaching
   * the broker: a network that fails with a request on its way.
   */
  dropRequests(apiKey: number, count: number): void;
  /** How many requests of `apiKey` dropRequests dropped. */
  dropped(apiKey: number): number;
  /**
   * Holds the `nth` answer of `apiKey` from now (1: the next) until `work` is done: the cluster
   * changes after the broker answered and before the client reads the answer.
   */
  beforeAnswer(apiKey: number, nth: number, work: () => Promise<void>): void;
  /** Drops every connection and refuses new ones, as a broker that went down. */
  refuse(): Promise<void>;
  /** Takes connections again on the same ports. */
  accept(): Promise<void>;
  close(): Promise<void>;
}

/** The API keys of the requests tests drop, count or delay (the protocol guide's table of API keys). */
export const API_KEY = { produce: 0, listOffsets: 2, metadata: 3, initProducerId: 22 } as const;

interface ForwardedRequest {
  apiKey: number;
  apiVersion: number;
}

export async function startKafkaProxy(upstream: readonly string[]): Promise<KafkaProxy> {
  const servers: Server[] = [];
  const sockets = new Set<Socket>();
  const portMap = new Map<number, number>();
  const maxima = new Map<number, number>();
  const answers = new Map<number, number>();
  let delayMs = 0;
  const silent = new Set<number>();
  const lostRequests = new Map<number, number>();
  const toDrop = new Map<number, number>();
  const droppedRequests = new Map<number, number>();
  const heldAnswers = new Map<number, { countdown: number; work: () => Promise<void> }>();
  const clients = { opened: 0, open: new Set<Socket>() };

  const targets = upstream.map(brokerAddress);
  for (const [index, target] of targets.entries()) {
    const server = createServer((client) => {
      const broker = connect(target.port, target.host);
      sockets.add(client).add(broker);
      clients.opened += 1;
      clients.open.add(client);
      client.on('close', () => clients.open.delete(client));
      const pending = new Map<number, ForwardedRequest>();
      const inFlight = new Map<number, number>();
      const close = (): void => {
        client.destroy();
        broker.destroy();
      };
      client.on('error', close).on('close', close);
      broker.on('error', close).on('close', close);
      frames(client, (frame) => {
        if (silent.has(index)) {
          lostRequests.set(index, (lostRequests.get(index) ?? 0) + 1);
          return;
        }
        const apiKey = frame.readInt16BE(4);
        const dropping = toDrop.get(apiKey) ?? 0;
        if (dropping > 0) {
          toDrop.set(apiKey, dropping - 1);
          droppedRequests.set(apiKey, (droppedRequests.get(apiKey) ?? 0) + 1);
          close();
          return;
        }
        pending.set(frame.readInt32BE(8), { apiKey, apiVersion: frame.readInt16BE(6) });
        const count = (inFlight.get(apiKey) ?? 0) + 1;
        inFlight.set(apiKey, count);
        maxima.set(apiKey, Math.max(maxima.get(apiKey) ?? 0, count));
        broker.write(frame);
      });
      // Answers keep their order whatever the delay: each waits for the one before it.
      let chain = Promise.resolve();
      frames(broker, (frame) => {
        const request = pending.get(frame.readInt32BE(4));
        pending.delete(frame.readInt32BE(4));
        if (silent.has(index)) {
          if (request) inFlight.set(request.apiKey, (inFlight.get(request.apiKey) ?? 1) - 1);
          lostRequests.set(index, (lostRequests.get(index) ?? 0) + 1);
          return;
        }
        if (request?.apiKey === API_KEY.metadata && request.apiVersion >= 1 && request.apiVersion <= 8) {
          rewritePorts(frame, request.apiVersion, portMap);
        }
        // Each answer is held `delayMs` from when it came, not after the one before it.
        const due = Date.now() + delayMs;
        const held = request ? heldAnswers.get(request.apiKey) : undefined;
        const work = held && --held.countdown === 0 ? held.work : undefined;
        if (request && work) heldAnswers.delete(request.apiKey);
        chain = chain.then(async () => {
          const wait = due - Date.now();
          if (wait > 0) await sleep(wait);
          await work?.();
          if (request) {
            inFlight.set(request.apiKey, (inFlight.get(request.apiKey) ?? 1) - 1);
            answers.set(request.apiKey, (answers.get(request.apiKey) ?? 0) + 1);
          }
          if (!client.destroyed) client.write(frame);
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    portMap.set(target.port, (server.address() as { port: number }).port);
    servers.push(server);
  }

  return {
    brokers: targets.map((target) => `127.0.0.1:${portMap.get(target.port)}`),
    delayAnswers: (ms) => (delayMs = ms),
    blackHole: (index, on) => (on ? silent.add(index) : silent.delete(index)),
    lost: (index) => lostRequests.get(index) ?? 0,
    maxInFlight: (apiKey) => maxima.get(apiKey) ?? 0,
    answered: (apiKey) => answers.get(apiKey) ?? 0,
    connections: () => ({ opened: clients.opened, open: clients.open.size }),
    dropRequests: (apiKey, count) => toDrop.set(apiKey, count),
    dropped: (apiKey) => droppedRequests.get(apiKey) ?? 0,
    beforeAnswer: (apiKey, nth, work) => heldAnswers.set(apiKey, { countdown: nth, work }),
    dropConnections: () => {
      for (const socket of sockets) socket.destroy();
      sockets.clear();
    },
    refuse: async () => {
      const closing = servers.map((server) => new Promise((resolve) => server.close(resolve)));
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      await Promise.all(closing);
    },
    accept: async () => {
      await Promise.all(
        servers.map(
          (server, index) =>
            new Promise<void>((resolve) =>
              server.listen(portMap.get(targets[index]?.port ?? 0), '127.0.0.1', () => resolve()),
            ),
        ),
      );
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await Promise.all(
        servers.filter((server) => server.listening).map((server) => new Promise((resolve) => server.close(resolve))),
      );
    },
  };
}

/** Calls `onFrame` with each whole Kafka frame (its size prefix included) read from `socket`. */
function frames(socket: Socket, onFrame: (frame: Buffer) => void): void {
  let buffered: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
      const size = 4 + buffered.readInt32BE(0);
      onFrame(Buffer.from(buffered.subarray(0, size)));
      buffered = buffered.subarray(size);
    }
  });
}

/**
 * In a Metadata answer (v1–v8: correlation id, throttle time from v3, then the brokers as node id,
 * host, port, rack), each broker's port becomes the proxy's for it, in place.
 */
function rewritePorts(frame: Buffer, version: number, portMap: ReadonlyMap<number, number>): void {
  let at = 8 + (version >= 3 ? 4 : 0);
  const brokers = frame.readInt32BE(at);
  at += 4;
  for (let index = 0; index < brokers; index += 1) {
    at += 4; // node id
    at += 2 + frame.readInt16BE(at); // host
    const proxied = portMap.get(frame.readInt32BE(at));
    if (proxied !== undefined) frame.writeInt32BE(proxied, at);
    at += 4;
    const rack = frame.readInt16BE(at);
    at += 2 + Math.max(rack, 0);
  }
}
