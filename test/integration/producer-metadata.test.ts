import { describe, expect, it } from 'vitest';

import { PipelinedProducer } from '../../src/kafka/wire/producer.js';
import { EncodedRecords } from '../../src/kafka/wire/record-batch.js';
import { TEST_BROKERS, testClient, withFreshTopics } from '../helpers/kafka.js';
import { waitFor } from '../helpers/dashboard.js';

describe('the producer and partitions added while it runs', () => {
  it('reads the layout again once it is older than metadata.max.age.ms, and sends to a partition added since', async () => {
    await withFreshTopics({ partitions: 1 }, async (fresh) => {
      const topic = fresh.topics.of('price');
      const producer = await PipelinedProducer.connect(
        {
          brokers: TEST_BROKERS,
          clientId: 'pix-tests',
          timeoutMs: 10_000,
          retry: { initialRetryTime: 100, maxRetryTime: 1_000 },
          metadataMaxAgeMs: 200,
        },
        [topic],
      );
      try {
        expect(producer.partitionCount(topic)).toBe(1);
        const client = testClient();
        try {
          const admin = await client.admin();
          await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
        } finally {
          await client.close();
        }
        const record = { key: 'k', value: '{}', headers: {} };
        // Each send past the age reads the layout again, in the background: the third partition shows.
        await waitFor(
          'the producer to see three partitions',
          async () => {
            await producer.sendOne(topic, record);
            return producer.partitionCount(topic) === 3 ? true : undefined;
          },
          30_000,
        );
        const [ack] = await producer.send(new Map([[topic, new Map([[2, EncodedRecords.of([record])]])]]));
        expect(ack).toMatchObject({ topic, partition: 2, count: 1 });
      } finally {
        await producer.disconnect();
      }
    });
  });
});
