import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { waitFor } from '../helpers/dashboard.js';
import { brokerArg, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { PIX_BIN, runPix, startPix } from '../helpers/pix.js';
import { freePorts } from '../helpers/ports.js';
import { TmuxSession } from '../helpers/tmux.js';

/** Scrapes until `pattern` shows in the metrics, and returns the text. */
async function scrapeUntil(url: string, pattern: RegExp): Promise<string> {
  return waitFor(`${url} to show ${pattern}`, async () => {
    try {
      const text = await (await fetch(url)).text();
      return pattern.test(text) ? text : undefined;
    } catch {
      return undefined;
    }
  });
}

describe('--metrics-port on the long-running commands', () => {
  let topics: FreshTopics;
  const kafka = (): string[] => [...brokerArg(), '--topic-prefix', topics.prefix];

  beforeAll(async () => {
    topics = await freshTopics();
    const seeded = await runPix(['publish', 'price', '--id', 'M-1', '--price', '1', ...kafka()]);
    if (seeded.code !== 0) throw new Error(`could not publish the test event: ${seeded.stderr}`);
  });
  afterAll(async () => topics.cleanup());

  it('pix consume serves events received, delay and consumer lag per partition', async () => {
    const consume = startPix(['consume', ...kafka(), '--from-beginning', '--metrics-port', '0']);
    try {
      await waitFor('the metrics address on stderr', () => /metrics on (\S+)/.exec(consume.stderr()) ?? undefined);
      const url = /metrics on (\S+)/.exec(consume.stderr())?.[1] ?? '';
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      await scrapeUntil(url, /^pix_events_received_total\{type="price",origin="local"\} 1$/m);
      const text = await scrapeUntil(url, /^pix_consumer_lag_messages\{/m);
      const price = `${topics.prefix}product-price-update`;
      expect(text).toMatch(
        new RegExp(`^pix_consumer_lag_messages\\{topic="${price.replace('.', '\\.')}",partition="\\d"\\} 0$`, 'm'),
      );
      expect(text).toMatch(/^pix_end_to_end_delay_seconds_count\{type="price"\} 1$/m);
    } finally {
      consume.child.kill('SIGINT');
      await consume.finished;
    }
  });

  it('pix simulate serves events published by type and result, and produce latency', async () => {
    const port = await freePorts(2);
    const simulate = startPix([
      'simulate',
      ...kafka(),
      '--rate',
      '100',
      '--duration',
      '30s',
      '--metrics-port',
      String(port),
    ]);
    try {
      const text = await scrapeUntil(
        `http://127.0.0.1:${port}/metrics`,
        /^pix_produce_latency_seconds_count\{result="ok"\} [1-9]/m,
      );
      expect(text).toMatch(/^pix_events_published_total\{type="(price|discount|country)",result="ok"\} [1-9]\d*$/m);
    } finally {
      simulate.child.kill('SIGINT');
      await simulate.finished;
    }
  });

  it('pix tui serves the same metrics while it runs', async () => {
    const port = await freePorts(2);
    const session = new TmuxSession(
      `pix-tui-metrics-${process.pid}`,
      `NODE_ENV=production node ${PIX_BIN} tui ${kafka().join(' ')} --from-beginning --metrics-port ${port}`,
    );
    try {
      const text = await scrapeUntil(
        `http://127.0.0.1:${port}/metrics`,
        /^pix_events_received_total\{type="price",origin="local"\} 1$/m,
      );
      expect(text).toMatch(/^pix_broker_connected 1$/m);
    } finally {
      session.kill();
    }
  });

  it('refuses a metrics port that is taken, with exit 6', async () => {
    const port = await freePorts(2);
    const first = startPix(['consume', ...kafka(), '--metrics-port', String(port)]);
    try {
      await waitFor('the first consumer to serve metrics', () =>
        /metrics on/.test(first.stderr()) ? true : undefined,
      );
      const second = await runPix(['consume', ...kafka(), '--metrics-port', String(port)]);
      expect(second.code).toBe(6);
      expect(second.stderr).toContain(`cannot serve metrics: 127.0.0.1:${port} is already in use`);
    } finally {
      first.child.kill('SIGINT');
      await first.finished;
    }
  });
});
