import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { handlePublish, MAX_BODY_BYTES } from '../../src/dashboard/publish-route.js';
import { PixError } from '../../src/errors.js';
import type { PixEvent } from '../../src/events/schema.js';
import type { Delivery } from '../../src/kafka/index.js';

/** A request as the HTTP server hands it over: a stream of the body, with its headers. */
function request(body: string, headers: Record<string, string> = {}): IncomingMessage {
  return Object.assign(Readable.from([Buffer.from(body)]), { headers }) as unknown as IncomingMessage;
}

const defaults = {
  origin: 'http',
  now: () => new Date('2026-12-02T10:00:00.000Z'),
  newEventId: () => '00000000-0000-4000-8000-000000000001',
};

/** A publisher that lands every event at offset 41 of partition 2, keeping what it was given. */
function publisher(): { publish: (event: PixEvent) => Promise<Delivery>; published: PixEvent[] } {
  const published: PixEvent[] = [];
  return {
    published,
    publish: async (event) => {
      published.push(event);
      return { topic: `product-${event.type}-update`, partition: 2, offset: '41', event };
    },
  };
}

/** What the handler answers to a request with `body`, and what it published. */
async function post(body: string, headers: Record<string, string> = {}) {
  const { publish, published } = publisher();
  const reply = await handlePublish(request(body, headers), defaults, publish);
  return { reply, published };
}

describe('POST /publish-event', () => {
  it("publishes the original system's body and answers 200 with where it landed", async () => {
    const { reply, published } = await post(
      '{"event_type": "product-price-update", "data": {"product_id": 123, "price": 10.0}}',
    );
    expect(reply).toMatchObject({
      status: 200,
      result: 'published',
      body: { topic: 'product-price-update', partition: 2, offset: 41 },
    });
    expect(published).toEqual([
      expect.objectContaining({
        type: 'price',
        productId: '123',
        price: 10,
        origin: 'http',
        eventId: defaults.newEventId(),
      }),
    ]);
  });

  it("publishes pix's own event JSON as it is", async () => {
    const { reply, published } = await post(
      '{"type": "country", "productId": "SKU-1", "country": "DE", "origin": "cloud"}',
    );
    expect(reply.status).toBe(200);
    expect(published[0]).toMatchObject({ type: 'country', productId: 'SKU-1', country: 'DE', origin: 'cloud' });
  });

  it.each([
    ['{"event_type": "product-colour-update", "data": {"product_id": 1}}', 'unknown event type'],
    ['not json', 'the body is not an event'],
    ['[1, 2]', 'the body is not an event'],
  ])('answers 400 to %j, naming why, and publishes nothing', async (body, error) => {
    const { reply, published } = await post(body);
    expect(reply).toMatchObject({ status: 400, result: 'unknown_type', body: { error } });
    expect(published).toEqual([]);
  });

  it('answers 422 field by field to an event that breaks a rule, and publishes nothing', async () => {
    const { reply, published } = await post(
      '{"event_type": "product-price-update", "data": {"product_id": 1, "price": -3}}',
    );
    expect(reply).toMatchObject({
      status: 422,
      result: 'invalid',
      body: { error: 'invalid event', issues: [expect.objectContaining({ field: 'price' })] },
    });
    expect(published).toEqual([]);
  });

  it('answers 413 to a body over the limit, whether its length is announced or only streamed', async () => {
    const announced = await post('{}', { 'content-length': String(MAX_BODY_BYTES + 1) });
    const streamed = await post('x'.repeat(MAX_BODY_BYTES + 1));
    for (const { reply } of [announced, streamed]) {
      expect(reply).toMatchObject({
        status: 413,
        result: 'too_large',
        body: { error: `the body is over ${MAX_BODY_BYTES} bytes` },
      });
    }
    const published = [...announced.published, ...streamed.published];
    expect(published).toEqual([]);
  });

  it("answers 503 with pix's reason and hint when the cluster cannot take it, and lets any other failure through", async () => {
    const body = '{"type": "price", "productId": "1", "price": 9}';
    const down = await handlePublish(request(body), defaults, async () => {
      throw new PixError('BROKER_UNREACHABLE', 'no broker answered within 5s', { hint: 'Is Kafka running?' });
    });
    expect(down).toEqual({
      status: 503,
      result: 'unavailable',
      body: { error: 'no broker answered within 5s', hint: 'Is Kafka running?' },
    });
    const bug = new TypeError('a bug');
    await expect(
      handlePublish(request(body), defaults, async () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
  });
});
