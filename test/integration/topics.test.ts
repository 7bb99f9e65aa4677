import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';

import { PixError } from '../../src/errors.js';
import { KafkaClient } from '../../src/kafka/client.js';
import { partitionRanges } from '../../src/kafka/start-positions.js';
import { endOffsets, listTopics } from '../../src/kafka/topic-admin.js';
import { createLogger } from '../../src/logger.js';
import { brokerArg, deleteTopics, freshPrefix, TEST_BROKERS, testClient, withFreshTopics } from '../helpers/kafka.js';
import { API_KEY, startKafkaProxy, type KafkaProxy } from '../helpers/kafka-proxy.js';
import { waitFor } from '../helpers/dashboard.js';
import { runPix } from '../helpers/pix.js';
import type { TopicNames } from '../../src/events/topics.js';

describe('pix topics', () => {
  const prefix = freshPrefix();
  const names = ['product-price-update', 'product-discount-update', 'product-country-update'].map(
    (name) => prefix + name,
  );
  afterAll(async () => deleteTopics(names));

  it('creates the three topics, then reports them as existing on a second run', async () => {
    const first = await runPix(['topics', 'create', '--partitions', '2', ...brokerArg(), '--topic-prefix', prefix]);
    expect(first.code).toBe(0);
    expect(first.stdout).toBe(names.map((name) => `created  ${name}\n`).join(''));
    // One broker here: pix says what it chose, since nobody gave --replication-factor.
    expect(first.stderr).toBe(
      'replication factor 1: the cluster has 1 broker (3 copies, 2 in sync, on a cluster of three or more)\n',
    );

    const second = await runPix(['topics', 'create', '--json', ...brokerArg(), '--topic-prefix', prefix]);
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toEqual({
      topics: names.map((topic) => ({ topic, status: 'exists', partitions: 2 })),
      replication: { replicationFactor: 1, brokers: 1 },
    });

    // Asked for another partition count, existing topics are left as they are, and pix says so.
    const third = await runPix(['topics', 'create', '--partitions', '6', ...brokerArg(), '--topic-prefix', prefix]);
    expect(third.code).toBe(0);
    expect(third.stdout).toBe(names.map((name) => `exists   ${name} (2 partitions, not 6: left as it is)\n`).join(''));
    const same = await runPix(['topics', 'create', '--partitions', '2', ...brokerArg(), '--topic-prefix', prefix]);
    expect(same.stdout).toBe(names.map((name) => `exists   ${name}\n`).join(''));
  });

  it('lists the topics with their partitions and replicas', async () => {
    const { code, stdout } = await runPix(['topics', 'list', '--json', ...brokerArg()]);
    expect(code).toBe(0);
    const listed = (JSON.parse(stdout) as { topics: { topic: string }[] }).topics.filter(({ topic }) =>
      topic.startsWith(prefix),
    );
    expect(listed).toEqual(
      names.map((topic) => ({ topic, partitions: 2, replicas: 1 })).sort((a, b) => a.topic.localeCompare(b.topic)),
    );
  });

  it('refuses a replication factor larger than the cluster, creating nothing', async () => {
    const other = freshPrefix();
    const { code, stderr } = await runPix([
      'topics',
      'create',
      '--replication-factor',
      '3',
      ...brokerArg(),
      '--topic-prefix',
      other,
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('replication-factor: 3 is more than the 1 broker of this cluster');
    const { stdout } = await runPix(['topics', 'list', '--json', ...brokerArg()]);
    expect(stdout).not.toContain(other);
  });

  it('passes --config entries to the broker and refuses ones it does not know', async () => {
    const other = freshPrefix();
    const otherNames = names.map((name) => name.replace(prefix, other));
    try {
      const good = await runPix([
        'topics',
        'create',
        '--config',
        'retention.ms=3600000',
        ...brokerArg(),
        '--topic-prefix',
        other,
      ]);
      expect(good.code).toBe(0);
      expect(await topicConfig(otherNames[0]!, 'retention.ms')).toBe('3600000');
      const refused = await runPix([
        'topics',
        'create',
        '--config',
        'retention.ms=soon',
        ...brokerArg(),
        '--topic-prefix',
        freshPrefix(),
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/^pix: error: config: the broker refused retention\.ms=soon /);
      const bad = await runPix([
        'topics',
        'create',
        '--config',
        'retention',
        ...brokerArg(),
        '--topic-prefix',
        freshPrefix(),
      ]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain("config: must be key=value such as retention.ms=86400000 (got 'retention')");
    } finally {
      await deleteTopics(otherNames);
    }
  });
});

async function topicConfig(topic: string, name: string): Promise<string | undefined> {
  const client = testClient();
  try {
    const admin = await client.admin();
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic }],
    });
    return resources[0]?.configEntries.find((entry) => entry.configName === name)?.configValue;
  } finally {
    await client.close();
  }
}

describe('the topic questions pix asks, on a network that fails', () => {
  /** The cluster's topic names, asked directly, not through the proxy. */
  async function topicNames(): Promise<string[]> {
    const direct = testClient();
    try {
      return await (await direct.admin()).listTopics();
    } finally {
      await direct.close();
    }
  }

  /** Deletes `topic` after the broker gave the `nth` answer of `apiKey` and before the client reads it. */
  function deleteBehindAnswer(proxy: KafkaProxy, apiKey: number, nth: number, topic: string): { done: boolean } {
    const deletion = { done: false };
    proxy.beforeAnswer(apiKey, nth, async () => {
      await deleteTopics([topic]);
      await waitFor(`the broker to forget ${topic}`, async () =>
        (await topicNames()).includes(topic) ? undefined : true,
      );
      deletion.done = true;
    });
    return deletion;
  }

  /** Waits until the proxy has exactly `count` client connections open. */
  async function openConnections(proxy: KafkaProxy, count: number): Promise<void> {
    await waitFor(`the proxy's open connections to be ${count}`, () =>
      proxy.connections().open === count ? true : undefined,
    );
  }

  async function throughProxy(
    timeoutMs: number,
    use: (client: KafkaClient, proxy: KafkaProxy, topics: TopicNames) => Promise<void>,
  ): Promise<void> {
    const proxy = await startKafkaProxy(TEST_BROKERS);
    const client = new KafkaClient(
      { brokers: proxy.brokers, clientId: 'pix-tests', timeoutMs },
      createLogger('silent'),
    );
    try {
      await withFreshTopics({ partitions: 2 }, async ({ topics }) => {
        // kafkajs loaded and the broker reached once, so the Metadata requests dropped are listTopics's own.
        await client.admin();
        await use(client, proxy, topics);
      });
    } finally {
      await client.close();
      await proxy.close();
    }
  }

  it('asks again when a connection fails with the Metadata request of `topics list` on its way', async () => {
    await throughProxy(10_000, async (client, proxy, topics) => {
      const topic = topics.of('price');
      proxy.dropRequests(API_KEY.metadata, 2);
      expect(await listTopics(client)).toContainEqual({ topic, partitions: 2, replicas: 1 });
      expect(proxy.dropped(API_KEY.metadata)).toBe(2);
    });
  });

  // The deletion comes after the broker answered and before pix reads the answer, behind each
  // Metadata answer in turn. Asking for the names, then for those topics' partitions, failed
  // with "a topic does not exist" when the deletion came between the two.
  it.each([1, 2, 3, 4])(
    'lists the topics as one answer saw them when one is deleted behind Metadata answer %i',
    async (nth) => {
      await throughProxy(10_000, async (client, proxy, topics) => {
        const doomed = topics.of('price');
        const deletion = deleteBehindAnswer(proxy, API_KEY.metadata, nth, doomed);
        const mine = (await listTopics(client)).filter(({ topic }) => topic.startsWith(topics.prefix));
        // Two topics left either way; the third is shown whole as it was, or not at all once deleted.
        expect(mine.filter(({ topic }) => topic !== doomed)).toHaveLength(2);
        expect(deletion.done || mine.some(({ topic }) => topic === doomed)).toBe(true);
        for (const topic of mine) expect(topic).toMatchObject({ partitions: 2, replicas: 1 });
      });
    },
  );

  // The names come first, then each topic's offsets (a Metadata request, then ListOffsets for the
  // end and the start), the deleted topic first: a topic deleted behind any of these answers is
  // left out, as one that never existed, or counted whole as it was; it never fails the question
  // about the others, asked after it (ListOffsets answer 3 is the second topic's).
  it.each([
    { answer: 'Metadata', apiKey: API_KEY.metadata, nth: 1 },
    { answer: 'Metadata', apiKey: API_KEY.metadata, nth: 2 },
    { answer: 'Metadata', apiKey: API_KEY.metadata, nth: 3 },
    { answer: 'ListOffsets', apiKey: API_KEY.listOffsets, nth: 1 },
    { answer: 'ListOffsets', apiKey: API_KEY.listOffsets, nth: 2 },
    { answer: 'ListOffsets', apiKey: API_KEY.listOffsets, nth: 3 },
  ])(
    'gives the end offsets of the topics left when one is deleted behind $answer answer $nth',
    async ({ apiKey, nth }) => {
      await throughProxy(3_000, async (client, proxy, topics) => {
        const doomed = topics.of('price');
        const others = topics.list().filter((topic) => topic !== doomed);
        const deletion = deleteBehindAnswer(proxy, apiKey, nth, doomed);
        const ends = await endOffsets(client, topics.list());
        for (const topic of others) {
          expect(ends.filter((end) => end.topic === topic).sort((a, b) => a.partition - b.partition)).toEqual([
            { topic, partition: 0, end: 0 },
            { topic, partition: 1, end: 0 },
          ]);
        }
        const doomedEnds = ends.filter((end) => end.topic === doomed);
        expect(doomedEnds.length === 2 || (deletion.done && doomedEnds.length === 0)).toBe(true);
      });
    },
  );

  // Where `pix consume --exit` (or --since) starts and stops: a topic deleted since the start was
  // checked is named, as a topic missing at the start is, and not said as a broker that is gone.
  it.each([
    { answer: 'Metadata', apiKey: API_KEY.metadata, nth: 1 },
    { answer: 'ListOffsets', apiKey: API_KEY.listOffsets, nth: 1 },
    { answer: 'ListOffsets', apiKey: API_KEY.listOffsets, nth: 3 },
  ])('names the topic deleted while it reads start offsets, behind $answer answer $nth', async ({ apiKey, nth }) => {
    await throughProxy(3_000, async (client, proxy, topics) => {
      const doomed = topics.of('price');
      deleteBehindAnswer(proxy, apiKey, nth, doomed);
      const failure = await partitionRanges(client, topics.list(), { fromBeginning: true }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(PixError);
      expect((failure as PixError).code).toBe('TOPIC_NOT_FOUND');
      expect((failure as PixError).message).toBe(`topic ${doomed} does not exist`);
    });
  });

  // `pix topics list` ends with its process, but a dashboard's lag metric asks end offsets every
  // few seconds: an admin left open, or one more than needed, is a connection and a handshake more.
  it('lists the topics over an admin client of its own, and closes its connections', async () => {
    await throughProxy(10_000, async (client, proxy, topics) => {
      const idle = proxy.connections();
      expect(await listTopics(client)).toContainEqual({ topic: topics.of('price'), partitions: 2, replicas: 1 });
      expect(proxy.connections().opened).toBeGreaterThan(idle.opened);
      await openConnections(proxy, idle.open);
    });
  });

  it('asks the end offsets over the connections of one admin client, and closes them', async () => {
    await throughProxy(10_000, async (client, proxy, topics) => {
      const idle = proxy.connections();
      // What one admin client opens to ask one topic's end offsets: the most endOffsets needs.
      const admin = await client.admin();
      // Asked again as pix asks: a topic this new may not have its leader yet.
      await client.askWithinTimeout(() => admin.fetchTopicOffsets(topics.of('price')));
      await client.release(admin);
      const oneAdmin = proxy.connections().opened - idle.opened;
      await openConnections(proxy, idle.open);

      const ends = await endOffsets(client, topics.list());
      expect(ends.map(({ topic }) => topic).sort()).toEqual(
        topics
          .list()
          .flatMap((topic) => [topic, topic])
          .sort(),
      );
      expect(proxy.connections().opened - idle.opened - oneAdmin).toBe(oneAdmin);
      await openConnections(proxy, idle.open);
    });
  });

  it('fails the end offsets within --timeout when every ListOffsets request is lost, the topics still there', async () => {
    await throughProxy(3_000, async (client, proxy, topics) => {
      proxy.dropRequests(API_KEY.listOffsets, Number.POSITIVE_INFINITY);
      const failure = await endOffsets(client, topics.list()).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(PixError);
      expect((failure as PixError).code).toBe('BROKER_UNREACHABLE');
      expect((failure as PixError).message).toContain('within 3s');
    });
  });

  it('says no broker answered within --timeout when every Metadata request is lost', async () => {
    await throughProxy(3_000, async (client, proxy) => {
      proxy.dropRequests(API_KEY.metadata, Number.POSITIVE_INFINITY);
      const failure = await listTopics(client).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(PixError);
      expect((failure as PixError).code).toBe('BROKER_UNREACHABLE');
      expect((failure as PixError).message).toContain('within 3s');
      // Asked again until --timeout, not given up at the first lost request.
      expect(proxy.dropped(API_KEY.metadata)).toBeGreaterThan(1);
    });
  });
});
