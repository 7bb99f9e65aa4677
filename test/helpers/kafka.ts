import { randomUUID } from 'node:crypto';

import { TopicNames } from '../../src/events/topics.js';
import { KafkaClient } from '../../src/kafka/client.js';
import { createTopics } from '../../src/kafka/topic-admin.js';
import { createLogger } from '../../src/logger.js';
import { parseBrokers } from '../../src/settings.js';
import { runPix, type Finished } from './pix.js';

/** The broker the tests talk to: the one test/broker-setup.ts made sure answers. */
export const TEST_BROKERS = parseBrokers(process.env.PIX_BROKERS);

export function testClient(): KafkaClient {
  return new KafkaClient({ brokers: TEST_BROKERS, clientId: 'pix-tests', timeoutMs: 10_000 }, createLogger('silent'));
}

/** A topic prefix no other test uses, so tests never see each other's events. */
export function freshPrefix(): string {
  return `test-${randomUUID().slice(0, 8)}.`;
}

export interface FreshTopics {
  prefix: string;
  topics: TopicNames;
  cleanup: () => Promise<void>;
}

export interface FreshTopicsSpec {
  partitions?: number;
  configs?: Record<string, string>;
}

/** Creates pix's three topics under a fresh prefix and deletes them when `cleanup` runs. */
export async function freshTopics(spec: FreshTopicsSpec = {}): Promise<FreshTopics> {
  const prefix = freshPrefix();
  const topics = new TopicNames(prefix);
  const client = testClient();
  try {
    await createTopics(client, topics.list(), {
      partitions: spec.partitions ?? 3,
      replicationFactor: 1,
      configs: spec.configs ?? {},
    });
  } finally {
    await client.close();
  }
  return { prefix, topics, cleanup: () => deleteTopics(topics.list()) };
}

/** Runs `use` with topics of its own, deleted afterwards whatever happens. */
export async function withFreshTopics(
  spec: FreshTopicsSpec,
  use: (fresh: FreshTopics) => Promise<void>,
): Promise<void> {
  const fresh = await freshTopics(spec);
  try {
    await use(fresh);
  } finally {
    await fresh.cleanup();
  }
}

export async function deleteTopics(topics: string[]): Promise<void> {
  const client = testClient();
  try {
    const admin = await client.admin();
    const existing = new Set(await admin.listTopics());
    const present = topics.filter((topic) => existing.has(topic));
    if (present.length > 0) await admin.deleteTopics({ topics: present, timeout: 10_000 });
  } finally {
    await client.close();
  }
}

/** The sum of a topic's end offsets: how many messages were ever written to it. */
export async function messageCount(topic: string): Promise<number> {
  const client = testClient();
  try {
    const admin = await client.admin();
    const offsets = await admin.fetchTopicOffsets(topic);
    return offsets.reduce((sum, partition) => sum + Number(partition.high), 0);
  } finally {
    await client.close();
  }
}

export function brokerArg(): string[] {
  return ['--brokers', TEST_BROKERS.join(',')];
}

/** `pix consume TYPE --from-beginning --exit --json` on the test broker, under a topic prefix. */
export function consumeAll(prefix: string, type: string): Promise<Finished> {
  return runPix(['consume', type, '--from-beginning', '--exit', '--json', ...brokerArg(), '--topic-prefix', prefix]);
}

/** Longer than any test may take: a command that waited for it, instead of failing at once, is killed and fails. */
export const LONG_TIMEOUT = ['--timeout', '10m'];

/** One command of each Kafka path: pix's producer, kafkajs's admin and consumer, a live view. */
export const ONE_COMMAND_PER_KAFKA_PATH = [
  ['publish', 'price', '--id', 'path-1', '--price', '1'],
  ['topics', 'list'],
  ['consume', '--exit'],
  ['serve-dashboard', '--port', '0'],
];
