import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { serveDashboard, waitFor, waitReady, type DashboardProcess } from '../helpers/dashboard.js';
import { brokerArg, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { runPix } from '../helpers/pix.js';
import { freePorts } from '../helpers/ports.js';
import { startProcess, type Started } from '../helpers/processes.js';
import { fileFolder } from '../helpers/temp.js';

interface QueryResult {
  metric: Record<string, string>;
  value: [number, string];
}

describe("a real Prometheus scraping pix, with Debian's Prometheus and Pushgateway", () => {
  let topics: FreshTopics;
  let dashboard: DashboardProcess;
  let prometheus: Started;
  let pushgateway: Started;
  let prometheusUrl: string;
  let pushgatewayUrl: string;

  const query = async (promql: string): Promise<QueryResult[]> => {
    const response = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data: { result: QueryResult[] } };
    expect(body.status).toBe('success');
    return body.data.result;
  };
  const ready = (url: string) => async () => {
    try {
      return (await fetch(`${url}/-/ready`)).ok ? true : undefined;
    } catch {
      return undefined;
    }
  };

  // Prometheus's config and data: made as the file loads, removed after its last test.
  const dir = fileFolder('prometheus');

  beforeAll(async () => {
    topics = await freshTopics();
    dashboard = await serveDashboard([...brokerArg(), '--topic-prefix', topics.prefix, '--from-beginning']);
    await waitReady(dashboard.url);
    const [gatewayPort, prometheusPort] = [await freePorts(2), await freePorts(2)];
    pushgatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    prometheusUrl = `http://127.0.0.1:${prometheusPort}`;
    pushgateway = startProcess('prometheus-pushgateway', [`--web.listen-address=127.0.0.1:${gatewayPort}`]);
    const config = join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        'scrape_configs:',
        '  - job_name: pix',
        '    static_configs:',
        `      - targets: ['${new URL(dashboard.url).host}']`,
        '  - job_name: pushgateway',
        '    honor_labels: true',
        '    static_configs:',
        `      - targets: ['127.0.0.1:${gatewayPort}']`,
        '',
      ].join('\n'),
    );
    prometheus = startProcess('prometheus', [
      `--config.file=${config}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${prometheusPort}`,
    ]);
    await waitFor('the Pushgateway to be ready', ready(pushgatewayUrl));
    await waitFor('Prometheus to be ready', ready(prometheusUrl));
  }, 60_000);

  afterAll(async () => {
    await prometheus.stop();
    await pushgateway.stop();
    await dashboard.stop();
    await topics.cleanup();
  });

  it('sees pix_events_received_total rise and the counters pix publish pushed', async () => {
    for (const id of ['1', '2', '3']) {
      const published = await runPix([
        'publish',
        'price',
        '--id',
        id,
        '--price',
        '4.2',
        ...brokerArg(),
        '--topic-prefix',
        topics.prefix,
        '--pushgateway',
        pushgatewayUrl,
      ]);
      expect(published.code).toBe(0);
      expect(published.stderr).toBe('');
    }

    const received = await waitFor('Prometheus to see three events received', async () => {
      const [sample] = await query('sum(pix_events_received_total{job="pix"})');
      return sample && Number(sample.value[1]) >= 3 ? sample : undefined;
    });
    expect(Number(received.value[1])).toBe(3);

    const pushed = await waitFor('the pushed publish counters', async () => {
      const result = await query('pix_events_published_total{job="pix_publish"}');
      return result.length > 0 ? result : undefined;
    });
    expect(pushed[0]?.metric).toMatchObject({ type: 'price', result: 'ok' });
    const latency = await query('pix_produce_latency_seconds_count{job="pix_publish"}');
    expect(Number(latency[0]?.value[1])).toBeGreaterThanOrEqual(1);
  });
});
