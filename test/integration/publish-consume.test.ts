import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, freshTopics } from '../helpers/kafka.js';
import { runPix, startPix } from '../helpers/pix.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';

interface Published {
  topic: string;
  partition: number;
  offset: string;
  eventId: string;
  event: Record<string, unknown>;
}

interface Consumed {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  timestamp: string;
  headers: Record<string, string>;
  event: Record<string, unknown>;
}

describe('publish → Kafka → consume', () => {
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());

  const kafka = () => [...brokerArg(), '--topic-prefix', topics.prefix];

  const cases = [
    {
      type: 'price',
      flags: ['--id', 'SKU-1', '--price', '24.90', '--currency', 'eur'],
      payload: { price: 24.9, currency: 'EUR' },
      line: '10:15:00.000  cloud     price     SKU-1     24.90 EUR',
    },
    {
      type: 'discount',
      flags: ['--id', '77', '--discount', '12.5'],
      payload: { discount: 12.5 },
      line: '10:15:00.000  cloud     discount  77        12.5%',
    },
    {
      type: 'country',
      flags: ['--id', '123', '--country', 'de'],
      payload: { country: 'DE' },
      line: '10:15:00.000  cloud     country   123       DE',
    },
  ] as const;

  for (const { type, flags, payload, line } of cases) {
    it(`carries a ${type} event with every field, keyed by product`, async () => {
      const eventId = crypto.randomUUID();
      const published = await runPix([
        'publish',
        type,
        ...flags,
        '--origin',
        'cloud',
        '--event-id',
        eventId,
        '--occurred-at',
        '2026-11-25T11:15:00+01:00',
        '--json',
        ...kafka(),
      ]);
      expect(published.stderr).toBe('');
      expect(published.code).toBe(0);
      const sent = JSON.parse(published.stdout) as Published;
      const productId = flags[1];
      const expected = {
        type,
        eventId,
        productId,
        occurredAt: '2026-11-25T10:15:00.000Z',
        origin: 'cloud',
        schemaVersion: 1,
        ...payload,
      };
      expect(sent).toMatchObject({ topic: topics.topics.of(type), eventId, event: expected });

      const consumed = await runPix(['consume', type, '--from-beginning', '--max-messages', '1', '--json', ...kafka()]);
      expect(consumed.code).toBe(0);
      const record = JSON.parse(consumed.stdout) as Consumed;
      expect(record).toMatchObject({
        topic: topics.topics.of(type),
        partition: sent.partition,
        offset: Number(sent.offset),
        key: productId,
        headers: { 'event-type': type, 'schema-version': '1', origin: 'cloud' },
      });
      expect(record.event).toEqual(expected);
      expect(Date.parse(record.timestamp)).not.toBeNaN();

      const human = await runPix(['consume', type, '--from-beginning', '-n', '1', ...kafka()]);
      expect(human.stdout).toBe(`${line}\n`);
    });
  }

  it('prints the human line of publish: type, product, topic, partition and offset', async () => {
    const { code, stdout } = await runPix(['publish', 'price', '--id', '5', '--price', '1', ...kafka()]);
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(`^price 5 → ${topics.topics.of('price').replaceAll('.', '\\.')}\\[[0-2]\\]@\\d+\\n$`),
    );
  });

  it('streams events as they arrive and stops cleanly on Ctrl-C with exit 130', async () => {
    const consumer = startPix(['consume', 'discount', '--from-beginning', '--json', ...kafka()]);
    const productId = `live-${Date.now()}`;
    await runPix(['publish', 'discount', '--id', productId, '--discount', '30', ...kafka()]);
    const line = await consumer.waitForStdout(new RegExp(`"productId":"${productId}"`));
    expect(JSON.parse(line)).toMatchObject({ event: { productId, discount: 30 } });

    const interrupted = Date.now();
    consumer.child.kill('SIGINT');
    const result = await consumer.finished;
    expect(result.code).toBe(130);
    // A stop waits for the broker no longer than any other wait: --timeout (the default here).
    expect(Date.now() - interrupted).toBeLessThan(DEFAULT_TIMEOUT_MS);
    expect(result.stderr).not.toMatch(/error|at .*\.js/i);
  });
});
