import { readFileSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { serveDashboard, type DashboardProcess } from '../helpers/dashboard.js';
import { brokerArg } from '../helpers/kafka.js';

interface Panel {
  title: string;
  targets?: { expr: string }[];
}

const dashboard = JSON.parse(readFileSync('docker/grafana/dashboards/pix.json', 'utf8')) as {
  uid: string;
  panels: Panel[];
};
const exporterMetrics = new Set(
  readFileSync('test/fixtures/kafka-exporter-metrics.txt', 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('#')),
);

/** The metric names in a PromQL expression (pix_… and kafka_…), histogram suffixes taken off. */
function metricsIn(expr: string): string[] {
  return [...expr.matchAll(/\b((?:pix|kafka)_[a-z0-9_]+)\b/g)].map((match) =>
    (match[1] ?? '').replace(/_(bucket|sum|count)$/, ''),
  );
}

describe('the Grafana dashboard', () => {
  let pix: DashboardProcess;
  let exposed: Set<string>;

  beforeAll(async () => {
    pix = await serveDashboard(brokerArg());
    const text = await (await fetch(`${pix.url}metrics`)).text();
    exposed = new Set([...text.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] ?? ''));
  });
  afterAll(async () => pix.stop());

  const queried = dashboard.panels.flatMap((panel) =>
    (panel.targets ?? []).flatMap((target) => metricsIn(target.expr).map((metric) => ({ panel: panel.title, metric }))),
  );

  it('has the panels an operator looks for', () => {
    const titles = dashboard.panels.map((panel) => panel.title).join('\n');
    for (const wanted of [
      /Events\/s by type/,
      /Events\/s by origin/,
      /Produce latency p50 \/ p99/,
      /End-to-end delay p50 \/ p99/,
      /Replication delay by source site/,
      /Malformed/,
      /lag/i,
      /Brokers/,
      /by topic/,
    ]) {
      expect(titles).toMatch(wanted);
    }
    expect(queried.length).toBeGreaterThan(10);
  });

  it('queries only metrics that pix serves or the Kafka exporter exposes', () => {
    const unknown = queried.filter(
      ({ metric }) => !(metric.startsWith('pix_') ? exposed.has(metric) : exporterMetrics.has(metric)),
    );
    expect(unknown).toEqual([]);
    // Every pix metric a panel asks for is one this scrape exposed, so the check above is live.
    expect(queried.some(({ metric }) => metric === 'pix_produce_latency_seconds')).toBe(true);
    expect(exposed.has('pix_produce_latency_seconds')).toBe(true);
  });
});
