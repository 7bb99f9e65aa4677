import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { badInputs, corpusText } from '../helpers/bad-inputs.js';
import { serveDashboard, type DashboardProcess } from '../helpers/dashboard.js';
import { brokerArg, consumeAll, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { ndjson, runPix } from '../helpers/pix.js';

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** The three requests of the original system's README, as its curl examples sent them. */
const ORIGINAL_BODIES = [
  {
    body: '{"event_type": "product-price-update", "data": {"product_id": 123, "price": 10.0}}',
    topic: 'product-price-update',
    event: { type: 'price', productId: '123', price: 10, currency: 'USD' },
  },
  {
    body: '{"event_type": "product-discount-update", "data": {"product_id": 123, "discount": 15.0}}',
    topic: 'product-discount-update',
    event: { type: 'discount', productId: '123', discount: 15 },
  },
  {
    body: '{"event_type": "country-update", "data": {"product_id": 123, "country": "US"}}',
    topic: 'product-country-update',
    event: { type: 'country', productId: '123', country: 'US' },
  },
];

describe('POST /publish-event', () => {
  let topics: FreshTopics;
  let dashboard: DashboardProcess;

  const post = async (body: string, headers: Record<string, string> = {}): Promise<Reply> => {
    const response = await fetch(`${dashboard.url}publish-event`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    topics = await freshTopics();
    dashboard = await serveDashboard([
      ...brokerArg(),
      '--topic-prefix',
      topics.prefix,
      '--enable-publish',
      '--origin',
      'shop-api',
    ]);
  });
  afterAll(async () => {
    await dashboard.stop();
    await topics.cleanup();
  });

  it.each(ORIGINAL_BODIES)("publishes the original system's $topic body", async ({ body, topic, event }) => {
    const reply = await post(body);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      topic: `${topics.prefix}${topic}`,
      partition: expect.any(Number) as number,
      offset: expect.any(Number) as number,
      event: { ...event, origin: 'shop-api', schemaVersion: 1 },
    });

    // The answer is true: the event is on the topic, at that partition and offset.
    const consumed = await runPix([
      'consume',
      ...brokerArg(),
      '--topic-prefix',
      topics.prefix,
      event.type,
      '--from-beginning',
      '--exit',
      '--json',
    ]);
    const records = ndjson<{ partition: number; offset: number; key: string; event: { eventId: string } }>(
      consumed.stdout,
    );
    const replied = reply.body as { partition: number; offset: number; event: { eventId: string } };
    const found = records.find((record) => record.event.eventId === replied.event.eventId);
    expect(found).toMatchObject({ partition: replied.partition, offset: replied.offset, key: '123' });
  });

  it("takes pix's own event JSON too", async () => {
    const reply = await post('{"type": "price", "productId": "SKU-9", "price": 4.5, "currency": "eur"}');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ event: { productId: 'SKU-9', price: 4.5, currency: 'EUR' } });
  });

  it.each([
    ['{"event_type": "product-colour-update", "data": {"product_id": 1}}', 'event_type', 'unknown event type'],
    ['{"type": "colour", "productId": "1"}', 'type', 'unknown event type'],
    ['this is not json', '(line)', 'the body is not an event'],
    ['[1, 2]', '(line)', 'the body is not an event'],
  ])('answers 400 for a body that names no event type: %s', async (body, field, error) => {
    const reply = await post(body);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ error, issues: [{ field }] });
  });

  it.each([
    ['{"event_type": "product-price-update", "data": {"price": 10.0}}', 'productId', 'is required'],
    [
      '{"event_type": "product-price-update", "data": {"product_id": "", "price": 10.0}}',
      'productId',
      'must not be empty',
    ],
    [
      '{"event_type": "product-price-update", "data": {"product_id": 1.5, "price": 10.0}}',
      'productId',
      'non-empty string or an integer',
    ],
    ['{"event_type": "product-price-update", "data": {"product_id": 1}}', 'price', 'is required'],
    ['{"event_type": "product-price-update", "data": {"product_id": 1, "price": -1}}', 'price', 'must be ≥ 0'],
    ['{"event_type": "product-price-update", "data": {"product_id": 1, "price": "10"}}', 'price', 'must be a number'],
    [
      '{"event_type": "product-price-update", "data": {"product_id": 1, "price": 1, "currency": "XXY"}}',
      'currency',
      'ISO 4217',
    ],
    [
      '{"event_type": "product-discount-update", "data": {"product_id": 1, "discount": 101}}',
      'discount',
      'from 0 to 100',
    ],
    ['{"event_type": "product-country-update", "data": {"product_id": 1, "country": "XX"}}', 'country', 'ISO 3166-1'],
    ['{"event_type": "product-price-update", "data": "price=10"}', 'data', 'must be a JSON object'],
    ['{"type": "price", "productId": "1", "price": 1, "origin": "no spaces allowed"}', 'origin', 'site name'],
    ['{"type": "price", "productId": "1", "price": 1, "occurredAt": "yesterday"}', 'occurredAt', 'ISO 8601'],
    ['{"type": "price", "productId": "1", "price": 1, "curency": "EUR"}', 'curency', ''],
  ])('answers 422 naming the field for %s', async (body, field, rule) => {
    const reply = await post(body);
    expect(reply.status).toBe(422);
    const issues = reply.body.issues as { field: string; rule: string }[];
    expect(issues.map((issue) => issue.field)).toContain(field);
    expect(issues.find((issue) => issue.field === field)?.rule).toContain(rule);
  });

  it('answers 413 for a body over 64 KiB, and publishes nothing', async () => {
    const big = JSON.stringify({
      event_type: 'product-price-update',
      data: { product_id: 1, price: 1, padding: 'x'.repeat(70 * 1024) },
    });
    const reply = await post(big);
    expect(reply.status).toBe(413);
    expect(reply.body.error).toContain('65536 bytes');
  });

  it('answers 405 to a GET, and counts requests by result in /metrics', async () => {
    const get = await fetch(`${dashboard.url}publish-event`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    const metrics = await (await fetch(`${dashboard.url}metrics`)).text();
    expect(metrics).toMatch(/^pix_http_publish_requests_total\{result="published"\} 4$/m);
    expect(metrics).toMatch(/^pix_http_publish_requests_total\{result="invalid"\} 13$/m);
    expect(metrics).toMatch(/^pix_http_publish_requests_total\{result="too_large"\} 1$/m);
    expect(metrics).toMatch(/^pix_events_published_total\{type="price",result="ok"\} 2$/m);
  });
});

describe('POST /publish-event without a broker', () => {
  it('answers 503 with the reason, and /readyz says not ready', async () => {
    const dashboard = await serveDashboard(['--brokers', '127.0.0.1:1', '--timeout', '1s', '--enable-publish']);
    try {
      const response = await fetch(`${dashboard.url}publish-event`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: ORIGINAL_BODIES[0]?.body ?? '',
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('5');
      expect(await response.json()).toMatchObject({ error: expect.stringContaining('127.0.0.1:1') as string });
      const ready = await fetch(`${dashboard.url}readyz`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ state: expect.stringMatching(/connecting|unreachable/) as string });
    } finally {
      const finished = await dashboard.stop();
      expect(finished.code).toBe(130);
    }
  });
});

/**
 * One HTTP/1.1 request written on a socket as given: any Host or none, bytes a client library would
 * refuse to send. Resolves with the status and body once the server closes.
 */
function rawRequest(
  url: string,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  const body = Buffer.from(options.body ?? '');
  const headers = { ...options.headers, ...(options.body !== undefined ? { 'content-length': `${body.length}` } : {}) };
  const upgrade = Object.keys(headers).some((name) => name.toLowerCase() === 'upgrade');
  const head = [
    `${options.method ?? 'GET'} ${options.path ?? '/'} HTTP/1.1`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
    ...(upgrade ? [] : ['connection: close']),
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.write(Buffer.concat([Buffer.from(head), body])));
    let received = '';
    socket.on('data', (chunk: Buffer) => (received += chunk.toString()));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0);
      resolve({ status, body: received.slice(received.indexOf('\r\n\r\n') + 4) });
    });
  });
}

describe('POST /publish-event against forged requests and DNS rebinding', () => {
  let topics: FreshTopics;
  let dashboard: DashboardProcess;
  let host = '';
  const event = '{"event_type":"product-price-update","data":{"product_id":"forged","price":1}}';
  const published = async (): Promise<number> => {
    const { stdout } = await consumeAll(topics.prefix, 'price');
    return ndjson(stdout).length;
  };

  beforeAll(async () => {
    topics = await freshTopics();
    dashboard = await serveDashboard([
      ...brokerArg(),
      '--topic-prefix',
      topics.prefix,
      '--enable-publish',
      '--allowed-host',
      'pix.example',
    ]);
    host = new URL(dashboard.url).host;
  });
  afterAll(async () => {
    await dashboard.stop();
    await topics.cleanup();
  });

  it('answers only to its IP addresses, localhost and --allowed-host names', async () => {
    const port = new URL(dashboard.url).port;
    for (const path of ['/', '/healthz', '/metrics']) {
      const rebound = await rawRequest(dashboard.url, { path, headers: { host: `attacker.example:${port}` } });
      expect(rebound.status).toBe(421);
      expect(rebound.body).toContain('--allowed-host');
    }
    const forged = await rawRequest(dashboard.url, {
      method: 'POST',
      path: '/publish-event',
      headers: {
        host: `attacker.example:${port}`,
        origin: `http://attacker.example:${port}`,
        'content-type': 'application/json',
      },
      body: event,
    });
    expect(forged.status).toBe(421);
    const socket = await rawRequest(dashboard.url, {
      path: '/live',
      headers: {
        host: `attacker.example:${port}`,
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    });
    expect(socket.status).toBe(421);
    for (const name of [`localhost:${port}`, `pix.example:${port}`, `PIX.example:${port}`, host, `[::1]:${port}`]) {
      expect((await rawRequest(dashboard.url, { path: '/healthz', headers: { host: name } })).status).toBe(200);
    }
    expect(await published()).toBe(0);
  });

  it('answers every request of the corpus with its status, and publishes none of them', async () => {
    const port = new URL(dashboard.url).port;
    const fill = (text: string): string => text.replaceAll('{host}', host).replaceAll('{port}', port);
    for (const request of badInputs.httpRequests()) {
      const reply = await rawRequest(dashboard.url, {
        method: request.method,
        path: request.path,
        headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, fill(value)])),
        ...(request.body !== undefined ? { body: corpusText(request.body) } : {}),
      });
      expect({ name: request.name, status: reply.status }).toEqual({ name: request.name, status: request.status });
    }
    expect(dashboard.pix.child.exitCode).toBeNull();
    expect(await published()).toBe(0);
  });

  it('publishes only JSON from its own origin', async () => {
    const post = (headers: Record<string, string>) =>
      rawRequest(dashboard.url, { method: 'POST', path: '/publish-event', headers: { host, ...headers }, body: event });
    const counted = async (result: string): Promise<number> => {
      const metrics = await (await fetch(`${dashboard.url}metrics`)).text();
      const line = new RegExp(`^pix_http_publish_requests_total\\{result="${result}"\\} (\\d+)$`, 'm').exec(metrics);
      return Number(line?.[1] ?? 0);
    };
    const before = { unsupported: await counted('unsupported_type'), forbidden: await counted('forbidden') };
    const start = await published();
    expect((await post({ 'content-type': 'text/plain' })).status).toBe(415);
    expect((await post({ 'content-type': 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await post({ origin: 'http://127.0.0.1:1', 'content-type': 'application/json' })).status).toBe(403);
    expect(await published()).toBe(start);
    const own = await post({ origin: `http://${host}`, 'content-type': 'application/json; charset=utf-8' });
    expect(own.status).toBe(200);
    expect(await published()).toBe(start + 1);
    expect(await counted('unsupported_type')).toBe(before.unsupported + 2);
    expect(await counted('forbidden')).toBe(before.forbidden + 1);
  });
});

describe('POST /publish-event with --token', () => {
  it('takes the token from the Authorization header only, never from the query string', async () => {
    const topics = await freshTopics();
    const dashboard = await serveDashboard([...brokerArg(), '--topic-prefix', topics.prefix, '--enable-publish'], {
      PIX_DASHBOARD_TOKEN: 'tok-q',
    });
    try {
      const body = '{"event_type":"product-price-update","data":{"product_id":"q","price":1}}';
      const headers = { 'content-type': 'application/json' };
      const inQuery = await fetch(`${dashboard.url}publish-event?token=tok-q`, { method: 'POST', headers, body });
      expect(inQuery.status).toBe(401);
      const inHeader = await fetch(`${dashboard.url}publish-event`, {
        method: 'POST',
        headers: { ...headers, authorization: 'Bearer tok-q' },
        body,
      });
      expect(inHeader.status).toBe(200);
    } finally {
      await dashboard.stop();
      await topics.cleanup();
    }
  });
});
