import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { mirrorProperties } from '../../src/local/mirror.js';

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

  it('Grafana is provisioned with the Prometheus data source and the pix dashboard', () => {
    const datasource = readFileSync('docker/grafana/provisioning/datasources/prometheus.yml', 'utf8');
    expect(datasource).toContain('url: http://prometheus:9090');
    expect(datasource).toContain('uid: prometheus');
    const provider = readFileSync('docker/grafana/provisioning/dashboards/pix.yml', 'utf8');
    expect(provider).toContain('path: /var/lib/grafana/dashboards');
    const compose = readFileSync('docker/compose.yml', 'utf8');
    expect(compose).toContain('./grafana/dashboards:/var/lib/grafana/dashboards');
  });
});
