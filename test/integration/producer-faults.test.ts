import { describe, expect, it } from 'vitest';

import { MAX_IN_FLIGHT_PER_CONNECTION } from '../../src/kafka/wire/producer.js';
import { serveDashboard } from '../helpers/dashboard.js';
import { consumeAll, TEST_BROKERS, withFreshTopics, type FreshTopics } from '../helpers/kafka.js';
import { API_KEY, startKafkaProxy, type KafkaProxy } from '../helpers/kafka-proxy.js';
import { waitFor } from '../helpers/dashboard.js';
import { ndjson, runPix, startPix } from '../helpers/pix.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';

/** Runs `use` with topics of its own and a proxy in front of the test broker, both gone afterwards. */
async function behindProxy(use: (proxy: KafkaProxy, fresh: FreshTopics) => Promise<void>): Promise<void> {
  const proxy = await startKafkaProxy(TEST_BROKERS);
  try {
    await withFreshTopics({}, (fresh) => use(proxy, fresh));
  } finally {
    await proxy.close();
  }
}

/** The product ids of the price events under `prefix`, as `pix consume` reads them. */
async function priceIds(prefix: string): Promise<string[]> {
  return ndjson<{ event: { productId: string } }>((await consumeAll(prefix, 'price')).stdout).map(
    (record) => record.event.productId,
  );
}

/** `pix publish price --id ID --price 5` through the proxy. */
function publishPrice(proxy: KafkaProxy, fresh: FreshTopics, id: string, timeout: string) {
  return runPix([
    'publish',
    'price',
    '--id',
    id,
    '--price',
    '5',
    '--brokers',
    proxy.brokers.join(','),
    '--topic-prefix',
    fresh.prefix,
    '--timeout',
    timeout,
  ]);
}

describe('the producer behind a slow or failing broker', () => {
  it('keeps at most five produce requests in flight on a connection, from forty HTTP publishes at once', async () => {
    await behindProxy(async (proxy, fresh) => {
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
        expect(proxy.maxInFlight(API_KEY.produce)).toBeGreaterThan(1);
        expect(proxy.maxInFlight(API_KEY.produce)).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_CONNECTION);
        expect(proxy.answered(API_KEY.produce)).toBeGreaterThanOrEqual(40 / MAX_IN_FLIGHT_PER_CONNECTION);
      } finally {
        await dashboard.stop();
      }
      const ids = await priceIds(fresh.prefix);
      expect(ids.sort()).toEqual(Array.from({ length: 40 }, (_, index) => `in-flight-${index}`).sort());
    });
  });

  it('goes on when the broker comes back within --timeout after connections dropped with requests in flight, and exits 3 when it does not', async () => {
    await behindProxy(async (proxy, fresh) => {
      const line = (id: string): string => `${JSON.stringify({ type: 'price', productId: id, price: 1 })}\n`;
      // --skip-invalid: a live stdin is sent as it comes, not held until its end.
      const args = [
        'publish',
        '--file',
        '-',
        '--skip-invalid',
        '--brokers',
        proxy.brokers.join(','),
        '--topic-prefix',
        fresh.prefix,
      ];
      const pix = startPix([...args, '--timeout', '30s', '--log-level', 'debug'], { openStdin: true });
      pix.child.stdin.write(line('before-the-outage'));
      await waitFor(
        'the first event acknowledged',
        () => (proxy.answered(API_KEY.produce) >= 1 ? true : undefined),
        DEFAULT_TIMEOUT_MS,
      );
      // Down, answers pending or not: pix tries again, and again, while the window lasts.
      proxy.delayAnswers(200);
      pix.child.stdin.write(line('during-the-outage'));
      await proxy.refuse();
      await waitFor(
        'four tries while the broker is gone',
        () => (pix.stderr().split('trying again').length > 4 ? true : undefined),
        DEFAULT_TIMEOUT_MS * 2,
      );
      await proxy.accept();
      pix.child.stdin.end();
      const finished = await pix.finished;
      expect(finished.code).toBe(0);
      const ids = await priceIds(fresh.prefix);
      expect(ids.sort()).toEqual(['before-the-outage', 'during-the-outage']);

      // Gone for longer than --timeout: exit 3, saying what was acknowledged.
      await proxy.refuse();
      const gone = await runPix([...args, '--timeout', '2s'], { input: line('never') });
      expect(gone.code).toBe(3);
      expect(gone.stderr).toContain('cannot reach Kafka');
    });
  });

  // Metadata and InitProducerId go out together on the first connection: a connection that fails
  // with either on its way is given up as a whole, and both are asked again on a new one.
  for (const [name, apiKey] of [
    ['Metadata', API_KEY.metadata],
    ['InitProducerId', API_KEY.initProducerId],
  ] as const) {
    it(`publishes once when the first connection fails with its ${name} request on the way`, async () => {
      await behindProxy(async (proxy, fresh) => {
        proxy.dropRequests(apiKey, 1);
        const published = await publishPrice(proxy, fresh, `after-a-lost-${name}`, '20s');
        expect(published.stderr).toBe('');
        expect(published.code).toBe(0);
        expect(proxy.dropped(apiKey)).toBe(1);
        const ids = await priceIds(fresh.prefix);
        expect(ids).toEqual([`after-a-lost-${name}`]);
      });
    });
  }

  it('exits 3 once --timeout has passed, naming the broker, when no InitProducerId request gets through', async () => {
    await behindProxy(async (proxy, fresh) => {
      proxy.dropRequests(API_KEY.initProducerId, Number.POSITIVE_INFINITY);
      const failed = await publishPrice(proxy, fresh, 'never', '3s');
      expect(failed.code).toBe(3);
      expect(failed.stderr).toContain('cannot reach Kafka');
      expect(failed.stderr).toContain(proxy.brokers.join(','));
      // Asked again until --timeout, not given up at the first lost request.
      expect(proxy.dropped(API_KEY.initProducerId)).toBeGreaterThan(1);
      expect(await priceIds(fresh.prefix)).toEqual([]);
    });
  });
});
