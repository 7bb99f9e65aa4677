import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { PixError } from '../src/errors.js';
import {
  defaultConfigPath,
  readConfigFile,
  resolveSettings,
  settingsFromEnv,
  settingsFromFlags,
} from '../src/settings.js';
import { fileFolder } from './helpers/temp.js';

const none = { flags: {}, env: {} };

function refusal(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof PixError) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a PixError');
}

describe('resolveSettings', () => {
  it('defaults to the local broker, a 10 s bound and silence', () => {
    const settings = resolveSettings(none);
    expect(settings.kafka).toEqual({ brokers: ['127.0.0.1:9092'], clientId: 'pix', timeoutMs: 10_000 });
    expect(settings.logLevel).toBe('silent');
    expect(settings.origin).toBe('local');
    expect(settings.topicPrefix).toBe('');
  });

  it('takes flags over the environment over the config file', () => {
    const file = { brokers: 'file:1', clientId: 'from-file', timeout: '1s', origin: 'file-site' };
    const env = settingsFromEnv({ PIX_BROKERS: 'env:2', PIX_CLIENT_ID: 'from-env' });
    const settings = resolveSettings({ flags: { brokers: 'flag:3' }, env, file });
    expect(settings.kafka.brokers).toEqual(['flag:3']);
    expect(settings.kafka.clientId).toBe('from-env');
    expect(settings.kafka.timeoutMs).toBe(1_000);
    expect(settings.origin).toBe('file-site');
  });

  it('reads a list of brokers and refuses one without a port', () => {
    expect(resolveSettings({ ...none, flags: { brokers: 'a:9092, b:9093' } }).kafka.brokers).toEqual([
      'a:9092',
      'b:9093',
    ]);
    expect(refusal(() => resolveSettings({ ...none, flags: { brokers: 'kafka' } }))).toBe(
      "INVALID_INPUT: brokers: each broker must be host:port with a port from 1 to 65535 (got 'kafka')",
    );
    expect(refusal(() => resolveSettings({ ...none, flags: { brokers: 'kafka:70000' } }))).toMatch(
      /^INVALID_INPUT: brokers: /,
    );
  });

  it('takes durations with units or plain seconds for the timeout', () => {
    expect(resolveSettings({ ...none, flags: { timeout: '500ms' } }).kafka.timeoutMs).toBe(500);
    expect(resolveSettings({ ...none, file: { timeout: 3 } }).kafka.timeoutMs).toBe(3_000);
    expect(refusal(() => resolveSettings({ ...none, flags: { timeout: 'soon' } }))).toBe(
      "INVALID_INPUT: timeout: must be a positive duration such as 500ms, 10s or 1m (got 'soon')",
    );
  });

  it('builds SASL from mechanism, username and password, and says what is missing', () => {
    const env = settingsFromEnv({
      PIX_SASL_MECHANISM: 'SCRAM-SHA-512',
      PIX_SASL_USERNAME: 'ci',
      PIX_SASL_PASSWORD: 's3cret',
    });
    expect(resolveSettings({ flags: {}, env }).kafka.sasl).toEqual({
      mechanism: 'scram-sha-512',
      username: 'ci',
      password: 's3cret',
    });
    expect(refusal(() => resolveSettings({ ...none, flags: { saslMechanism: 'plain', saslUsername: 'ci' } }))).toMatch(
      /^INVALID_INPUT: sasl-password: is required with SASL plain/,
    );
    expect(refusal(() => resolveSettings({ ...none, flags: { saslUsername: 'ci' } }))).toMatch(
      /^INVALID_INPUT: sasl-mechanism: /,
    );
    expect(refusal(() => resolveSettings({ ...none, flags: { saslMechanism: 'gssapi' } }))).toMatch(
      /^INVALID_INPUT: sasl-mechanism: /,
    );
  });

  it('turns TLS on with any TLS setting and wants a key with a certificate', () => {
    expect(resolveSettings({ ...none, env: settingsFromEnv({ PIX_TLS: 'true' }) }).kafka.tls).toEqual({
      insecure: false,
    });
    expect(resolveSettings({ ...none, flags: { tlsCa: '/ca.pem' } }).kafka.tls).toEqual({
      insecure: false,
      ca: '/ca.pem',
    });
    expect(resolveSettings(none).kafka.tls).toBeUndefined();
    expect(refusal(() => resolveSettings({ ...none, flags: { tlsCert: '/c.pem' } }))).toMatch(
      /^INVALID_INPUT: tls-cert: /,
    );
    expect(refusal(() => resolveSettings({ ...none, env: settingsFromEnv({ PIX_TLS: 'maybe' }) }))).toMatch(
      /^INVALID_INPUT: tls: /,
    );
  });

  it('refuses an unknown log level and an origin that is not a site name', () => {
    expect(refusal(() => resolveSettings({ ...none, flags: { logLevel: 'loud' } }))).toMatch(
      /^INVALID_INPUT: log-level: /,
    );
    expect(refusal(() => resolveSettings({ ...none, env: settingsFromEnv({ PIX_ORIGIN: 'on prem' }) }))).toMatch(
      /^INVALID_INPUT: origin: /,
    );
  });
});

describe('the config file', () => {
  const folder = fileFolder('config');

  it('lives under XDG_CONFIG_HOME unless PIX_CONFIG names it', () => {
    expect(defaultConfigPath({ XDG_CONFIG_HOME: '/cfg' })).toBe('/cfg/pix/config.json');
    expect(defaultConfigPath({ PIX_CONFIG: '/etc/pix.json', XDG_CONFIG_HOME: '/cfg' })).toBe('/etc/pix.json');
  });

  it('is optional where it is not named, and must exist where it is', () => {
    const missing = join(folder, 'missing.json');
    expect(readConfigFile(missing, false)).toBeUndefined();
    expect(refusal(() => readConfigFile(missing, true))).toMatch(/^INVALID_INPUT: config: cannot read /);
  });

  it('must be a JSON object of known settings', () => {
    const path = join(folder, 'config.json');
    writeFileSync(path, '{"brokers": ["k1:9092", "k2:9092"], "origin": "cloud"}');
    expect(readConfigFile(path, true)).toEqual({ brokers: ['k1:9092', 'k2:9092'], origin: 'cloud' });
    writeFileSync(path, '{"broker": "k1:9092"}');
    expect(refusal(() => readConfigFile(path, true))).toBe(`INVALID_INPUT: config: ${path}: unknown setting broker`);
    writeFileSync(path, '{oops');
    expect(refusal(() => readConfigFile(path, true))).toMatch(/is not valid JSON/);
  });

  it('names the setting whose value is of the wrong kind, and the rule', () => {
    const path = join(folder, 'config.json');
    const cases: [object, string][] = [
      [{ brokers: 5 }, 'brokers: must be host:port text, or a list of them'],
      [{ brokers: ['k1:9092', 3] }, 'brokers: must be host:port text, or a list of them'],
      [{ timeout: true }, 'timeout: must be a duration such as 10s, or a number of seconds'],
      [{ origin: ['cloud'] }, 'origin: must be text'],
      [{ tls: 1 }, 'tls: must be true or false'],
      [{ currentCluster: 2 }, 'currentCluster: must be the name of a cluster'],
      [{ clusters: { lab: { brokers: 'lab:9092', saslUsername: null } } }, 'cluster lab: saslUsername: must be text'],
    ];
    for (const [file, message] of cases) {
      writeFileSync(path, JSON.stringify(file));
      expect(refusal(() => readConfigFile(path, true))).toBe(`INVALID_INPUT: config: ${path}: ${message}`);
    }
  });
});

describe('named clusters of the config file', () => {
  const folder = fileFolder('clusters');
  const path = join(folder, 'config.json');
  const file = {
    brokers: 'file:1',
    timeout: '2s',
    clientId: 'from-file',
    clusters: {
      'on-prem': { brokers: ['dc-1:9092', 'dc-2:9092'], site: 'on-prem', clientId: 'from-cluster' },
      cloud: {
        brokers: 'cloud:9096',
        site: 'cloud',
        tls: true,
        saslMechanism: 'scram-sha-512',
        saslUsername: 'pix',
        saslPasswordEnv: 'CLOUD_PW',
      },
    },
    currentCluster: 'on-prem',
  };
  const settings = (flags: Record<string, unknown>, env: NodeJS.ProcessEnv) => {
    writeFileSync(path, JSON.stringify(file), { mode: 0o600 });
    return settingsFromFlags({ 'config-file': path, ...flags }, env);
  };

  it('takes flags over the environment over the selected cluster over the rest of the file over defaults', () => {
    const selected = settings({}, {});
    expect(selected.cluster).toBe('on-prem');
    expect(selected.kafka).toMatchObject({ brokers: ['dc-1:9092', 'dc-2:9092'], clientId: 'from-cluster' });
    expect(selected.kafka.timeoutMs).toBe(2_000); // the file's, which the cluster does not set
    expect(selected.origin).toBe('on-prem'); // the cluster's site is what it publishes as
    expect(selected.topicPrefix).toBe(''); // the default
    expect(settings({}, { PIX_BROKERS: 'env:2' }).kafka.brokers).toEqual(['env:2']);
    expect(settings({ brokers: 'flag:3' }, { PIX_BROKERS: 'env:2' }).kafka.brokers).toEqual(['flag:3']);
    expect(settings({}, { PIX_ORIGIN: 'lab' }).origin).toBe('lab');
  });

  it('selects by --cluster over PIX_CLUSTER over the one in use, and reads a password from the variable it names', () => {
    const env = { CLOUD_PW: 'secret', PIX_CLUSTER: 'on-prem' };
    const cloud = settings({ cluster: 'cloud' }, env);
    expect(cloud.cluster).toBe('cloud');
    expect(cloud.kafka).toMatchObject({
      brokers: ['cloud:9096'],
      tls: { insecure: false },
      sasl: { mechanism: 'scram-sha-512', username: 'pix', password: 'secret' },
    });
    expect(settings({}, { ...env, PIX_CLUSTER: 'cloud' }).cluster).toBe('cloud');
    expect(settings({}, {}).cluster).toBe('on-prem');
  });

  it('names the cluster and the rule it breaks', () => {
    expect(refusal(() => settings({ cluster: 'cloud' }, {}))).toBe(
      'INVALID_INPUT: cluster: cloud reads its SASL password from $CLOUD_PW, which is not set',
    );
    expect(refusal(() => settings({ cluster: 'staging' }, {}))).toBe(
      `INVALID_INPUT: cluster: staging is not a cluster of ${path}`,
    );
    writeFileSync(path, JSON.stringify({ clusters: { lab: { brokers: 'lab:9092', password: 'x' } } }));
    expect(refusal(() => readConfigFile(path, true))).toBe(
      `INVALID_INPUT: config: ${path}: cluster lab: unknown setting password`,
    );
    writeFileSync(path, JSON.stringify({ clusters: { lab: { site: 'lab' } } }));
    expect(refusal(() => readConfigFile(path, true))).toBe(
      `INVALID_INPUT: config: ${path}: cluster lab: brokers is required`,
    );
  });

  it('leaves the cluster to commands that talk to Kafka', () => {
    writeFileSync(path, JSON.stringify(file));
    expect(settingsFromFlags({ 'config-file': path }, {}, { selectCluster: false }).cluster).toBeUndefined();
  });
});
