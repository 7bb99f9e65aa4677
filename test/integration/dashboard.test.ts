import { connect } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { eventsOf, openLive, serveDashboard, waitFor, waitReady, type DashboardProcess } from '../helpers/dashboard.js';
import { brokerArg, deleteTopics, freshPrefix, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { runPix, startPix } from '../helpers/pix.js';
import { TopicNames } from '../../src/events/topics.js';

describe('pix serve-dashboard', () => {
  let topics: FreshTopics;
  let dashboard: DashboardProcess;
  const kafka = (): string[] => [...brokerArg(), '--topic-prefix', topics.prefix];

  beforeAll(async () => {
    topics = await freshTopics();
    dashboard = await serveDashboard([...kafka(), '--from-beginning', '--client-buffer', '65536']);
    await waitReady(dashboard.url);
  });
  afterAll(async () => {
    await dashboard.stop();
    await topics.cleanup();
  });

  it('says the topics are missing, not the broker, and goes live once they are created', async () => {
    const prefix = freshPrefix();
    const early = await serveDashboard([...brokerArg(), '--topic-prefix', prefix]);
    try {
      const missing = await waitFor('/readyz to say the topics are missing', async () => {
        const ready = await fetch(`${early.url}readyz`);
        const body = (await ready.json()) as { state: string; detail?: string };
        return body.state === 'topics-missing' ? { status: ready.status, body } : undefined;
      });
      expect(missing).toEqual({
        status: 503,
        body: expect.objectContaining({
          detail: `topics ${prefix}product-price-update, ${prefix}product-discount-update, ${prefix}product-country-update do not exist`,
        }) as unknown,
      });
      expect((await runPix(['topics', 'create', ...brokerArg(), '--topic-prefix', prefix])).code).toBe(0);
      await waitReady(early.url);
    } finally {
      await early.stop();
      await deleteTopics(new TopicNames(prefix).list());
    }
  }, 60_000);

  it('binds to 127.0.0.1 and is healthy and ready', async () => {
    expect(dashboard.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(`${dashboard.url}healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${dashboard.url}readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ state: 'connected' });
  });

  it('sends a snapshot on connect, then an event published by pix publish', async () => {
    const live = await openLive(dashboard.url);
    const snapshot = await live.next((frame) => frame.kind === 'snapshot');
    expect(snapshot).toMatchObject({ kind: 'snapshot', connection: { state: 'connected' } });
    expect(snapshot.kind === 'snapshot' && snapshot.series.byType.price.length).toBeGreaterThan(0);

    const published = await runPix([
      'publish',
      'price',
      '--id',
      'ws-1',
      '--price',
      '12.5',
      '--currency',
      'EUR',
      ...kafka(),
    ]);
    expect(published.code).toBe(0);
    const frame = await live.next((candidate) => eventsOf(candidate, 'ws-1').length > 0);
    expect(frame.kind).toBe('update');
    const [arrived] = eventsOf(frame, 'ws-1');
    expect(arrived).toMatchObject({
      topic: `${topics.prefix}product-price-update`,
      event: { type: 'price', productId: 'ws-1', price: 12.5, currency: 'EUR' },
    });
    expect(frame.counters.byType.price).toBeGreaterThanOrEqual(1);
    live.close();

    // A browser that connects later finds the event in its snapshot.
    const late = await openLive(dashboard.url);
    const lateSnapshot = await late.next((candidate) => candidate.kind === 'snapshot');
    expect(eventsOf(lateSnapshot, 'ws-1')).toHaveLength(1);
    expect(lateSnapshot.kind === 'snapshot' && lateSnapshot.products.find((p) => p.productId === 'ws-1')).toMatchObject(
      {
        price: 12.5,
        currency: 'EUR',
      },
    );
    late.close();
  });

  it('counts and shows a malformed message without stopping', async () => {
    const live = await openLive(dashboard.url);
    const { kcat } = await import('../helpers/kcat.js');
    expect((await kcat(['-P', '-t', `${topics.prefix}product-price-update`], 'not json\n')).code).toBe(0);
    const frame = await live.next((candidate) => candidate.malformed.total > 0);
    expect(frame.malformed.latest?.issues[0]).toMatchObject({ field: '(message)' });
    await runPix(['publish', 'price', '--id', 'after-bad', '--price', '1', ...kafka()]);
    await live.next((candidate) => eventsOf(candidate, 'after-bad').length > 0);
    const metrics = await (await fetch(`${dashboard.url}metrics`)).text();
    expect(metrics).toMatch(/^pix_malformed_messages_total\{topic="test-[^"]+product-price-update"\} 1$/m);
    live.close();
  });

  it('ignores what a browser sends: nothing reaches the other viewers', async () => {
    const sender = await openLive(dashboard.url);
    const viewer = await openLive(dashboard.url);
    await viewer.next((frame) => frame.kind === 'snapshot');
    sender.socket.send(
      JSON.stringify({ event_type: 'product-price-update', data: { product_id: 'injected', price: 1 } }),
    );
    await runPix(['publish', 'price', '--id', 'marker', '--price', '1', ...kafka()]);
    await viewer.next((frame) => eventsOf(frame, 'marker').length > 0);
    expect(viewer.frames.some((frame) => eventsOf(frame, 'injected').length > 0)).toBe(false);
    sender.close();
    viewer.close();
  });

  it('drops a client that stops reading while a normal one keeps receiving', async () => {
    const url = new URL(dashboard.url);
    // A WebSocket client that completes the handshake and then never reads another byte.
    const slow = connect(Number(url.port), url.hostname);
    const slowClosed = new Promise<void>((resolve) => slow.once('close', () => resolve()));
    await new Promise<void>((resolve) => {
      slow.write(
        'GET /live HTTP/1.1\r\nHost: ' +
          url.host +
          '\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
      slow.once('data', () => {
        slow.pause();
        resolve();
      });
    });
    const normal = await openLive(dashboard.url);
    await normal.next((frame) => frame.kind === 'snapshot');

    // Traffic until the server gives up on the slow client: the kernel's socket buffers take a few
    // megabytes before the server's own queue starts to grow.
    const traffic = startPix(['simulate', '--rate', '5000', '--duration', '90s', '--products', '200', ...kafka()], {
      killAfterMs: 100_000,
    });
    try {
      const dropped = await waitFor(
        'the slow client to be counted as dropped',
        async () => {
          const metrics = await (await fetch(`${dashboard.url}metrics`)).text();
          return /^pix_websocket_clients_dropped_total 1$/m.test(metrics) ? metrics : undefined;
        },
        60_000,
      );
      expect(dropped).toMatch(/^pix_websocket_clients 1$/m);
      const seen = normal.frames.length;
      const after = await normal.next((frame) => normal.frames.indexOf(frame) >= seen && frame.events.length > 0);
      expect(after.counters.total).toBeGreaterThan(0);
    } finally {
      traffic.child.kill('SIGINT');
      await traffic.finished;
    }
    slow.resume();
    await slowClosed;
    normal.close();
  });

  it('serves Prometheus metrics: events by type and origin, delay, clients', async () => {
    const text = await (await fetch(`${dashboard.url}metrics`)).text();
    expect(text).toMatch(/^pix_events_received_total\{type="price",origin="local"\} \d+$/m);
    expect(text).toMatch(/^pix_end_to_end_delay_seconds_bucket\{le="0\.01",type="price"\} \d+$/m);
    expect(text).toMatch(/^pix_broker_connected 1$/m);
    expect(text).toMatch(/^process_cpu_seconds_total /m);
  });

  it('answers 404 on the publish route unless --enable-publish is given', async () => {
    const response = await fetch(`${dashboard.url}publish-event`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: expect.stringContaining('--enable-publish') as string });
  });

  it('serves the page with every asset itself, under a strict content security policy', async () => {
    const page = await fetch(dashboard.url);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/assets\//);
      expect((await fetch(new URL(asset, dashboard.url))).status).toBe(200);
    }
  });

  it('stops on Ctrl-C: exit 130, nothing on stderr, the port freed', async () => {
    const finished = await dashboard.stop();
    expect(finished.code).toBe(130);
    expect(finished.stderr).toBe('');
    await expect(fetch(`${dashboard.url}healthz`)).rejects.toThrow();
  });
});

describe('pix serve-dashboard with --token', () => {
  let topics: FreshTopics;
  let dashboard: DashboardProcess;
  const token = 'tok-3d5e';

  beforeAll(async () => {
    topics = await freshTopics();
    dashboard = await serveDashboard([...brokerArg(), '--topic-prefix', topics.prefix, '--enable-publish'], {
      PIX_DASHBOARD_TOKEN: token,
    });
  });
  afterAll(async () => {
    await dashboard.stop();
    await topics.cleanup();
  });

  it('refuses the page, the socket and publishing without the token', async () => {
    expect((await fetch(dashboard.url)).status).toBe(401);
    expect((await fetch(`${dashboard.url}assets/app.js`)).status).toBe(401);
    await expect(openLive(dashboard.url)).rejects.toThrow('401');
    await expect(openLive(dashboard.url, { query: '?token=wrong' })).rejects.toThrow('401');
    const publish = await fetch(`${dashboard.url}publish-event`, {
      method: 'POST',
      body: '{"event_type":"product-price-update","data":{"product_id":1,"price":1}}',
    });
    expect(publish.status).toBe(401);
    expect(publish.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('leaves health, readiness and metrics open', async () => {
    expect((await fetch(`${dashboard.url}healthz`)).status).toBe(200);
    await waitReady(dashboard.url);
    expect((await fetch(`${dashboard.url}metrics`)).status).toBe(200);
  });

  it('takes the token as a bearer header or a query parameter', async () => {
    const page = await fetch(dashboard.url, { headers: { authorization: `Bearer ${token}` } });
    expect(page.status).toBe(200);
    const live = await openLive(dashboard.url, { query: `?token=${token}` });
    await live.next((frame) => frame.kind === 'snapshot');
    live.close();
    const bearer = await openLive(dashboard.url, { headers: { authorization: `Bearer ${token}` } });
    bearer.close();
  });

  it('moves a token in the address into an HttpOnly cookie and takes it out of the URL', async () => {
    const response = await fetch(`${dashboard.url}?token=${token}&view=compact`, { redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/?view=compact');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0] ?? '';
    expect((await fetch(dashboard.url, { headers: { cookie: pair } })).status).toBe(200);
    const live = await openLive(dashboard.url, { headers: { cookie: pair } });
    live.close();
    // The cookie is for the page and its socket only: a form on another site cannot publish with it.
    const publish = await fetch(`${dashboard.url}publish-event`, {
      method: 'POST',
      headers: { cookie: pair },
      body: '{"event_type":"product-price-update","data":{"product_id":1,"price":1}}',
    });
    expect(publish.status).toBe(401);
  });

  it('refuses a WebSocket opened by a page of another site', async () => {
    await expect(
      openLive(dashboard.url, { query: `?token=${token}`, headers: { origin: 'http://evil.example' } }),
    ).rejects.toThrow('403');
  });

  it('publishes with the token', async () => {
    const response = await fetch(`${dashboard.url}publish-event`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{"event_type":"product-price-update","data":{"product_id":5,"price":2.5}}',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ topic: `${topics.prefix}product-price-update` });
  });
});

describe('serve-dashboard on a non-loopback address', () => {
  it('warns when there is no token', async () => {
    const dashboard = await serveDashboard([...brokerArg(), '--host', '0.0.0.0', '--enable-publish']);
    const finished = await dashboard.stop();
    expect(finished.stderr).toContain('pix: warning: serving on 0.0.0.0 without --token');
    expect(finished.stderr).toContain('can publish events');
  });

  it('says which port is taken, with exit 6', async () => {
    const first = await serveDashboard(brokerArg());
    const port = new URL(first.url).port;
    const second = await runPix(['serve-dashboard', ...brokerArg(), '--port', port]);
    await first.stop();
    expect(second.code).toBe(6);
    expect(second.stderr).toContain(`127.0.0.1:${port} is already in use`);
  });
});
