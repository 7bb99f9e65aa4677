import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

import { mirrorProperties } from '../../src/local/mirror.js';

interface ComposeService {
  image?: string;
  ports?: string[];
  volumes?: string[];
  depends_on?: string[];
  environment?: Record<string, string>;
}
interface Compose {
  services: Record<string, ComposeService | undefined>;
}
interface DataSources {
  apiVersion: number;
  datasources: { name: string; uid: string; type: string; url: string }[];
}
interface DashboardProviders {
  apiVersion: number;
  providers: { name: string; type: string; options: { path: string } }[];
}

/** Every `datasource: { type, uid }` a Grafana dashboard holds, in its panels and its queries. */
function dataSourceReferences(node: unknown): { type: string; uid: string }[] {
  if (Array.isArray(node)) return node.flatMap(dataSourceReferences);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'datasource' && typeof value === 'object' && value !== null
      ? [value as { type: string; uid: string }]
      : dataSourceReferences(value),
  );
}

describe('the monitoring configuration', () => {
  it('prometheus.yml passes promtool check config and scrapes pix, the exporter and Prometheus', () => {
    const out = execFileSync('promtool', ['check', 'config', 'prometheus.yml'], { encoding: 'utf8' });
    expect(out).toContain('SUCCESS');
    const config = readFileSync('prometheus.yml', 'utf8');
    for (const target of [
      "'dashboard:3000'",
      "'127.0.0.1:3000'",
      "'kafka-exporter:9308'",
      "'127.0.0.1:9308'",
      "'localhost:9090'",
    ]) {
      expect(config).toContain(target);
    }
  });

  it("pix's alerts fire as their unit tests say (promtool test rules)", () => {
    const out = execFileSync('promtool', ['test', 'rules', 'alerts.test.yml'], {
      cwd: 'docker/prometheus',
      encoding: 'utf8',
    });
    expect(out).toContain('SUCCESS');
    const rules = readFileSync('docker/prometheus/alerts.yml', 'utf8');
    for (const alert of ['PixNotScraped', 'PixBrokerDisconnected', 'PixMalformedMessages', 'PixConsumerLagHigh']) {
      expect(rules).toContain(`alert: ${alert}`);
    }
  });

  it('docker/compose.yml is valid and runs the whole stack', () => {
    const resolved = execFileSync('docker-compose', ['-f', 'docker/compose.yml', 'config'], { encoding: 'utf8' });
    for (const service of [
      'kafka',
      'topics',
      'dashboard',
      'simulate',
      'kafka-exporter',
      'prometheus',
      'grafana',
      'pushgateway',
    ]) {
      expect(resolved).toMatch(new RegExp(`^  ${service}:$`, 'm'));
    }
    expect(resolved).toContain('image: apache/kafka:');
    expect(resolved).toContain('danielqsj/kafka-exporter');
    expect(resolved).toMatch(/- topics\n\s+- create/);
    expect(resolved).toMatch(/profiles:\n\s+- demo/);
    expect(resolved).toContain('/etc/prometheus/docker/prometheus/alerts.yml');
  });

  it('docker/compose.yml runs two sites under the profile sites, bridged by the MirrorMaker 2 configuration pix writes', () => {
    const resolved = execFileSync('docker-compose', ['-f', 'docker/compose.yml', '--profile', 'sites', 'config'], {
      encoding: 'utf8',
    });
    for (const service of [
      'kafka-cloud',
      'topics-cloud',
      'mirror',
      'simulate-on-prem',
      'simulate-cloud',
      'dashboard-cloud',
    ]) {
      expect(resolved).toMatch(new RegExp(`^  ${service}:$`, 'm'));
    }
    expect(resolved).toContain('PLAINTEXT://kafka-cloud:19092,HOST://127.0.0.1:9192');
    expect(resolved).toMatch(
      /connect-mirror-maker\.sh\n\s+- \/etc\/mirror\/mm2\.properties\n\s+- --clusters\n\s+- cloud/,
    );
    const settings = (text: string) => text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(settings(readFileSync('docker/mirror/mm2.properties', 'utf8'))).toEqual(
      settings(
        mirrorProperties({
          from: { name: 'on-prem', brokers: ['kafka:19092'] },
          to: { name: 'cloud', brokers: ['kafka-cloud:19092'] },
          sameNames: false,
          bothWays: false,
        }),
      ),
    );
  });

  // No Grafana runs here (no container engine, no package): what it would read at start is
  // followed instead, from compose.yml's mounts to the files, the data source and the dashboards.
  it("Grafana's provisioning resolves: its data source is compose's Prometheus, and every panel queries it", () => {
    const compose = parse(readFileSync('docker/compose.yml', 'utf8')) as Compose;
    const grafana = compose.services.grafana;
    if (!grafana) throw new Error('compose.yml has no grafana service');
    /** The file in this repository that the grafana container sees at `containerPath`. */
    const hostPath = (containerPath: string): string => {
      for (const volume of grafana.volumes ?? []) {
        const [source = '', target = ''] = volume.split(':');
        const inside = relative(target, containerPath);
        if (source.startsWith('.') && !inside.startsWith('..')) return join('docker', source, inside);
      }
      throw new Error(`nothing of this repository is mounted at ${containerPath}`);
    };
    const yamlFiles = (folder: string): unknown[] =>
      readdirSync(folder)
        .filter((name) => /\.ya?ml$/.test(name))
        .map((name): unknown => parse(readFileSync(join(folder, name), 'utf8')));

    const provisioning = hostPath('/etc/grafana/provisioning');
    const sources = (yamlFiles(join(provisioning, 'datasources')) as DataSources[]).flatMap((file) => {
      expect(file.apiVersion).toBe(1);
      return file.datasources;
    });
    const prometheus = sources.find((source) => source.type === 'prometheus');
    if (!prometheus) throw new Error('no Prometheus data source is provisioned');
    // Its URL names compose's Prometheus service, on the port that service listens on inside.
    const url = new URL(prometheus.url);
    const service = compose.services[url.hostname];
    expect(service?.image).toMatch(/^prom\/prometheus:/);
    expect((service?.ports ?? []).map((port) => port.split(':').at(-1))).toContain(url.port);
    expect(grafana.depends_on).toContain(url.hostname);

    const providers = (yamlFiles(join(provisioning, 'dashboards')) as DashboardProviders[]).flatMap(
      (file) => file.providers,
    );
    const dashboardFolders = providers.map((provider) => {
      expect(provider.type).toBe('file');
      return hostPath(provider.options.path);
    });
    const dashboards = dashboardFolders.flatMap((folder) =>
      readdirSync(folder)
        .filter((name) => name.endsWith('.json'))
        .map((name) => join(folder, name)),
    );
    expect(dashboards.map((path) => basename(path))).toContain('pix.json');
    // The home dashboard compose names is one of them.
    expect(dashboards).toContain(hostPath(grafana.environment?.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH ?? ''));
    for (const path of dashboards) {
      const references = dataSourceReferences(JSON.parse(readFileSync(path, 'utf8')));
      expect(references.length).toBeGreaterThan(0);
      const unknown = references.filter(
        (reference) => !sources.some((source) => source.uid === reference.uid && source.type === reference.type),
      );
      expect(unknown, `${path} queries data sources Grafana is not given`).toEqual([]);
    }
  });
});
