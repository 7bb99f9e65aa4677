import { START_BOUND_MS, STOP_BOUND_MS } from '../../src/local/local-broker.js';
import { expect } from 'vitest';

import { TopicNames } from '../../src/events/topics.js';
import { BrokerConnection, brokerAddress, type BrokerAddress } from '../../src/kafka/wire/connection.js';
import { requestMetadata } from '../../src/kafka/wire/metadata.js';
import { brokerArg, freshPrefix, TEST_BROKERS, testClient } from '../helpers/kafka.js';
import { kcat } from '../helpers/kcat.js';
import { waitFor } from '../helpers/dashboard.js';
import { runPix, startPix, type Finished } from '../helpers/pix.js';

/** The client port of node 1 of the suite's cluster (cluster-setup.ts). */
const PORT = process.env.PIX_CLUSTER_PORT ?? '';

function local(...args: string[]): Promise<Finished> {
  return runPix(['local', ...args, '--port', PORT], { killAfterMs: START_BOUND_MS + STOP_BOUND_MS });
}

/** pix's three topics under a fresh prefix, made by pix: on three nodes, three copies and two in sync. */
export async function freshClusterTopics(): Promise<string> {
  const prefix = freshPrefix();
  const created = await runPix(['topics', 'create', '--topic-prefix', prefix, ...brokerArg()]);
  expect(created.stderr).toContain('replication factor 3, min.insync.replicas=2');
  return prefix;
}

/** SIGKILL (a crash) or SIGTERM (a controlled shutdown) of one node. */
export async function stopNode(node: number, how: 'kill' | 'term'): Promise<void> {
  const stopped = await local('stop', '--node', String(node), ...(how === 'kill' ? ['--kill'] : []));
  if (stopped.code !== 0) throw new Error(`stopping node ${node} failed: ${stopped.stderr}`);
}

/** Starts whichever nodes are down, and returns once each answers. */
export async function startAllNodes(): Promise<void> {
  const started = await local('start');
  if (started.code !== 0) throw new Error(`starting the cluster failed: ${started.stderr}${started.stdout}`);
}

/** The node that leads partition `partition` of `topic` now. */
export async function leaderOf(topic: string, partition = 0): Promise<number> {
  const client = testClient();
  try {
    const admin = await client.admin();
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    const leader = topics[0]?.partitions.find((each) => each.partitionId === partition)?.leader;
    if (leader === undefined || leader < 0) throw new Error(`${topic} partition ${partition} has no leader`);
    return leader;
  } finally {
    await client.close();
  }
}

/** ListOffsets (API key 2) v1: one offset per partition, asked for by a replica id. */
const LIST_OFFSETS = { key: 2, version: 1 } as const;
/** ListOffsets' timestamp for the latest offset. */
const LATEST = -1n;
/**
 * The replica id a client asks ListOffsets with: -1 as a consumer gets the high watermark, what a
 * reader can see; -2, a debugging tool's, gets the log end offset, what the leader holds (the
 * broker applies no isolation level for any replica id but -1).
 */
const AS_CONSUMER = -1;
const AS_DEBUGGER = -2;

/** The latest offset of each partition (`topic:partition`) that `connection`'s broker leads. */
async function latestOffsets(
  connection: BrokerConnection,
  replicaId: number,
  partitions: ReadonlyMap<string, readonly number[]>,
): Promise<Map<string, bigint>> {
  const reader = await connection.request(LIST_OFFSETS.key, LIST_OFFSETS.version, (writer) => {
    writer.int32(replicaId);
    writer.array([...partitions], ([topic, indexes]) => {
      writer.string(topic);
      writer.array(indexes, (partition) => writer.int32(partition).int64(LATEST));
    });
  });
  const offsets = new Map<string, bigint>();
  reader.array(() => {
    const topic = reader.string();
    reader.array(() => {
      const partition = reader.int32();
      const errorCode = reader.int16();
      reader.int64(); // timestamp
      const offset = reader.int64();
      if (errorCode === 0) offsets.set(`${topic}:${partition}`, offset);
    });
  });
  return offsets;
}

/** Whether every partition of `topics` has a leader, every replica in sync, and nothing uncommitted. */
async function isSettled(topics: readonly string[]): Promise<boolean> {
  const options = { clientId: 'pix-tests', timeoutMs: 5_000 };
  const bootstrap = await BrokerConnection.open(brokerAddress(TEST_BROKERS[0] ?? ''), options);
  const opened = [bootstrap];
  try {
    const { brokers, topics: described } = await requestMetadata(bootstrap, topics);
    const byLeader = new Map<number, Map<string, number[]>>();
    for (const { name, errorCode, partitions } of described) {
      if (errorCode !== 0) return false;
      for (const { partition, leader, replicas, inSync } of partitions) {
        if (leader < 0 || inSync.length < replicas.length) return false;
        const led = byLeader.get(leader) ?? new Map<string, number[]>();
        led.set(name, [...(led.get(name) ?? []), partition]);
        byLeader.set(leader, led);
      }
    }
    for (const [leader, partitions] of byLeader) {
      const address: BrokerAddress | undefined = brokers.get(leader);
      if (!address) return false;
      const connection = await BrokerConnection.open(address, options);
      opened.push(connection);
      const visible = await latestOffsets(connection, AS_CONSUMER, partitions);
      const held = await latestOffsets(connection, AS_DEBUGGER, partitions);
      const count = [...partitions.values()].reduce((total, indexes) => total + indexes.length, 0);
      if (held.size !== count || [...held].some(([key, end]) => visible.get(key) !== end)) return false;
    }
    return true;
  } finally {
    for (const connection of opened) connection.close();
  }
}

/**
 * Returns once every partition of pix's three topics under `prefix` has a leader, all its copies
 * in sync and its high watermark at its leader's log end: what the topics hold is then final.
 * Until then an event that was in doubt when brokers died can still appear, since a leader that
 * holds it commits it once its followers have it too.
 */
export async function settledTopics(prefix: string): Promise<void> {
  const topics = new TopicNames(prefix).list();
  await waitFor(
    'every partition led, in sync and committed',
    async () => ((await isSettled(topics).catch(() => false)) ? true : undefined),
    60_000,
  );
}

export interface TopicEvent {
  type: string;
  eventId: string;
  productId: string;
  /** ISO 8601 UTC, as pix writes it: in order as text. */
  occurredAt: string;
  price?: number;
}

/** Every event on pix's three topics under `prefix`, read by kcat, each partition in its order. */
export async function eventsOnTopics(prefix: string): Promise<TopicEvent[]> {
  const events: TopicEvent[] = [];
  for (const topic of new TopicNames(prefix).list()) {
    const read = await kcat(['-C', '-t', topic, '-e', '-q', '-f', '%s\n']);
    if (read.code !== 0) throw new Error(`kcat could not read ${topic}: ${read.stderr}`);
    for (const line of read.stdout.split('\n')) if (line) events.push(JSON.parse(line) as TopicEvent);
  }
  return events;
}

/** How many times each eventId is on the topics. */
export function countById(events: readonly TopicEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { eventId } of events) counts.set(eventId, (counts.get(eventId) ?? 0) + 1);
  return counts;
}

/** Products whose price events are not in the order they were made (their price grows with it). */
export function outOfOrderProducts(events: readonly TopicEvent[]): string[] {
  const last = new Map<string, number>();
  const disordered = new Set<string>();
  for (const { type, productId, price } of events) {
    if (type !== 'price' || price === undefined) continue;
    if ((last.get(productId) ?? -Infinity) >= price) disordered.add(productId);
    last.set(productId, price);
  }
  return [...disordered];
}

/**
 * Products with events of a type on the topic earlier than one made before them: for events
 * whose only order is their time (pix simulate's), each product's occurredAt never goes back.
 */
export function productsBackInTime(events: readonly TopicEvent[]): string[] {
  const last = new Map<string, string>();
  const disordered = new Set<string>();
  for (const { type, productId, occurredAt } of events) {
    const key = `${type} ${productId}`;
    const previous = last.get(key);
    if (previous !== undefined && occurredAt < previous) disordered.add(key);
    last.set(key, occurredAt);
  }
  return [...disordered];
}

/**
 * NDJSON of `count` events with eventIds, over 2,000 products: each product's price rises with
 * every price event of it, so order on the topic can be checked.
 */
export function eventLines(count: number): { text: string; ids: string[] } {
  const ids: string[] = [];
  const lines: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const productId = `p${index % 2000}`;
    const step = Math.floor(index / 2000);
    const eventId = crypto.randomUUID();
    ids.push(eventId);
    const kind = index % 3;
    const body =
      kind === 0
        ? { type: 'price', productId, price: step + 0.5 }
        : kind === 1
          ? { type: 'discount', productId, discount: step % 100 }
          : { type: 'country', productId, country: 'DE' };
    lines.push(JSON.stringify({ ...body, eventId }));
  }
  return { text: `${lines.join('\n')}\n`, ids };
}

/** A `pix consume --group` of its own across a fault: every type from the start, counted by eventId as shown. */
export interface GroupReader {
  group: string;
  /** How many times each eventId was shown. */
  shown: Map<string, number>;
  /** SIGINT, as Ctrl-C: the member leaves its group. Safe to call again once it has stopped. */
  stop(): Promise<Finished>;
}

export function startGroupReader(prefix: string): GroupReader {
  const group = `resilience-${crypto.randomUUID().slice(0, 8)}`;
  // The reader witnesses the faults and must outlast them: a join that waits for a member gone in a
  // bounce waits out its 30 s session, more than the default --timeout of 10 s.
  const reader = startPix(
    [
      'consume',
      '--json',
      '--from-beginning',
      '--group',
      group,
      '--topic-prefix',
      prefix,
      '--timeout',
      '60s',
      ...brokerArg(),
    ],
    { killAfterMs: 600_000 },
  );
  const shown = new Map<string, number>();
  let partial = '';
  // Counted as lines arrive: a fault test's hundreds of thousands of lines are never parsed twice.
  reader.child.stdout.on('data', (chunk: Buffer) => {
    const lines = `${partial}${chunk.toString()}`.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line) continue;
      const { eventId } = (JSON.parse(line) as { event: { eventId: string } }).event;
      shown.set(eventId, (shown.get(eventId) ?? 0) + 1);
    }
  });
  return {
    group,
    shown,
    stop: () => {
      reader.child.kill('SIGINT');
      return reader.finished;
    },
  };
}

/**
 * What Kafka promises a consumer group: every event committed to the topics is shown, none
 * missing. One shown twice (after a rebalance, from the last committed offset) is at-least-once
 * as Kafka allows it: counted and reported, not failed.
 */
export async function expectGroupShowedEveryEvent(reader: GroupReader, events: readonly TopicEvent[]): Promise<void> {
  const ids = [...new Set(events.map((event) => event.eventId))];
  // Looked for only once as many have been shown: 200,000 lookups every 50 ms would take the CPU the reader needs.
  const all = (): true | undefined =>
    reader.shown.size >= ids.length && ids.every((id) => reader.shown.has(id)) ? true : undefined;
  const waited = await waitFor('the group reader to show every event', all, 120_000).catch((error: unknown) => error);
  const finished = await reader.stop();
  const missing = ids.filter((id) => !reader.shown.has(id));
  if (waited !== true) {
    throw new Error(
      `the group reader showed ${reader.shown.size} of ${ids.length} events (${missing.length} missing: ${missing.slice(0, 3).join(', ')}…) ` +
        `in 120 s; exit ${finished.code ?? finished.signal}; stderr: ${finished.stderr.slice(-1500)}`,
      { cause: waited },
    );
  }
  expect(finished.stderr).not.toMatch(/^pix: error/m);
  expect(missing).toEqual([]);
  const twice = [...reader.shown.values()].filter((times) => times > 1).length;
  console.info(`pix consume --group ${reader.group}: ${ids.length} events shown, ${twice} of them more than once`);
}

/** Publishes `count` price events (with eventIds) for products `tag-0`…`tag-12`, and returns their ids. */
export async function publishPrices(prefix: string, tag: string, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => crypto.randomUUID());
  const lines = ids.map((eventId, index) =>
    JSON.stringify({ type: 'price', eventId, productId: `${tag}-${index % 13}`, price: index }),
  );
  const published = await runPix(
    ['publish', '--file', '-', '--topic-prefix', prefix, '--timeout', '60s', ...brokerArg()],
    { input: `${lines.join('\n')}\n`, killAfterMs: 120_000 },
  );
  expect({ code: published.code, stderr: published.stderr }).toEqual({ code: 0, stderr: '' });
  return ids;
}
