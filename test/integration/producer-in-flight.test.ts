import { describe, expect, it } from 'vitest';

import { MAX_IN_FLIGHT_PER_CONNECTION } from '../../src/kafka/wire/producer.js';
import { serveDashboard } from '../helpers/dashboard.js';
import { consumeAll, TEST_BROKERS, withFreshTopics } from '../helpers/kafka.js';
import { startKafkaProxy } from '../helpers/kafka-proxy.js';
import { ndjson } from '../helpers/pix.js';

const PRODUCE = 0;

describe('the producer behind a slow broker', () => {
  it('keeps at most five produce requests in flight on a connection, from forty HTTP publishes at once', async () => {
    const proxy = await startKafkaProxy(TEST_BROKERS);
    try {
      await withFreshTopics({}, async (fresh) => {
        const dashboard = await serveDashboard([
          '--brokers',
          proxy.brokers.join(','),
          '--topic-prefix',
          fresh.prefix,
          '--enable-publish',
        ]);
        try {
          // Answers held back a quarter of a second: requests pile up unless the producer holds them.
          proxy.delayAnswers(250);
          const statuses = await Promise.all(
            Array.from({ length: 40 }, async (_, index) => {
              const response = await fetch(`${dashboard.url}publish-event`, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ type: 'price', productId: `in-flight-${index}`, price: index }),
              });
              return response.status;
            }),
          );
          expect(statuses).toEqual(Array.from({ length: 40 }, () => 200));
          // More than one at a time went out (so the bound was reached), never more than five.
          expect(proxy.maxInFlight(PRODUCE)).toBeGreaterThan(1);
          expect(proxy.maxInFlight(PRODUCE)).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_CONNECTION);
          expect(proxy.answered(PRODUCE)).toBeGreaterThanOrEqual(40 / MAX_IN_FLIGHT_PER_CONNECTION);
        } finally {
          await dashboard.stop();
        }
        const ids = ndjson<{ event: { productId: string } }>((await consumeAll(fresh.prefix, 'price')).stdout).map(
          (record) => record.event.productId,
        );
        expect(ids.sort()).toEqual(Array.from({ length: 40 }, (_, index) => `in-flight-${index}`).sort());
      });
    } finally {
      await proxy.close();
    }
  });
});
