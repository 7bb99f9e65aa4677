import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ClusterView } from '../../src/config/cluster-config.js';
import { freshTopics, TEST_BROKERS, type FreshTopics } from '../helpers/kafka.js';
import { ndjson, runPix } from '../helpers/pix.js';
import { testFolder } from '../helpers/temp.js';

describe('named clusters: pix config and --cluster', () => {
  let topics: FreshTopics;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());

  /**
   * pix with its own config file, as a user with ~/.config/pix/config.json runs it: no PIX_BROKERS
   * of the test run, which would win over the cluster.
   */
  function withConfig() {
    const config = join(testFolder('config'), 'pix', 'config.json');
    const pix = (args: string[], env: Record<string, string> = {}) =>
      runPix(args, { env: { PIX_CONFIG: config, PIX_TOPIC_PREFIX: topics.prefix, PIX_BROKERS: undefined, ...env } });
    return { config, pix };
  }

  it('adds, lists, selects, shows and removes clusters, in a file only its owner reads, secrets masked', async () => {
    const { config, pix } = withConfig();
    expect((await pix(['config', 'list'])).stdout).toContain('no clusters in');
    const added = await pix([
      'config',
      'add-cluster',
      'on-prem',
      '--brokers',
      TEST_BROKERS.join(','),
      '--site',
      'on-prem',
    ]);
    expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
    expect(added.stdout).toContain('added cluster on-prem');
    const cloud = await pix(
      ['config', 'add-cluster', 'cloud', '--brokers', '127.0.0.1:1', '--site', 'cloud', '--tls'].concat([
        '--sasl-mechanism',
        'scram-sha-512',
        '--sasl-username',
        'pix',
        '--sasl-password',
        'hunter2',
      ]),
    );
    expect(cloud.code).toBe(0);
    expect(cloud.stderr).toContain('--sasl-password-env VAR keeps it in neither');
    expect((statSync(config).mode & 0o777).toString(8)).toBe('600');

    expect((await pix(['config', 'use', 'on-prem'])).code).toBe(0);
    const listed = await pix(['config', 'list', '--json']);
    const { clusters } = JSON.parse(listed.stdout) as { clusters: ClusterView[] };
    expect(clusters.map(({ name, current, site }) => ({ name, current, site }))).toEqual([
      { name: 'on-prem', current: true, site: 'on-prem' },
      { name: 'cloud', current: false, site: 'cloud' },
    ]);
    const shown = await pix(['config', 'show', 'cloud']);
    expect(shown.stdout).toContain('password ********');
    for (const output of [listed.stdout, shown.stdout, (await pix(['config', 'show', 'cloud', '--json'])).stdout]) {
      expect(output).not.toContain('hunter2');
    }

    // Made readable by others, a file with a password says so on every run.
    chmodSync(config, 0o644);
    expect((await pix(['topics', 'list'])).stderr).toMatch(/holds a password and others can read it \(mode 644\)/);
    chmodSync(config, 0o600);

    const removed = await pix(['config', 'remove', 'on-prem']);
    expect(removed.stdout).toContain('removed cluster on-prem; no cluster is selected now');
    expect(JSON.parse(readFileSync(config, 'utf8'))).not.toHaveProperty('currentCluster');
    const unknown = await pix(['config', 'use', 'on-prem']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(`cluster: on-prem is not a cluster of ${config}`);
  });

  it('sends each command to the cluster chosen by --cluster, PIX_CLUSTER or pix config use; flags and env override it', async () => {
    const { pix } = withConfig();
    await pix(['config', 'add-cluster', 'on-prem', '--brokers', TEST_BROKERS.join(','), '--site', 'on-prem']);
    await pix(['config', 'add-cluster', 'nowhere', '--brokers', '127.0.0.1:1', '--site', 'cloud']);
    await pix(['config', 'use', 'nowhere']);

    const unreachable = await pix(['topics', 'list', '--timeout', '1s']);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stderr).toContain('cannot reach Kafka broker 127.0.0.1:1');

    // --cluster picks the broker and the site: the event is published as from on-prem.
    const published = await pix(['publish', 'price', '--id', 'by-cluster', '--price', '1', '--cluster', 'on-prem']);
    expect({ code: published.code, stderr: published.stderr }).toEqual({ code: 0, stderr: '' });
    const byEnv = await pix(['consume', 'price', '--from-beginning', '--exit', '--json'], { PIX_CLUSTER: 'on-prem' });
    expect(ndjson<{ event: { productId: string; origin: string } }>(byEnv.stdout).map(({ event }) => event)).toEqual([
      expect.objectContaining({ productId: 'by-cluster', origin: 'on-prem' }),
    ]);
    // --brokers and PIX_BROKERS win over the selected cluster's brokers.
    expect((await pix(['topics', 'list', '--brokers', TEST_BROKERS.join(',')])).code).toBe(0);
    expect((await pix(['topics', 'list'], { PIX_BROKERS: TEST_BROKERS.join(',') })).code).toBe(0);

    const missing = await pix(['topics', 'list', '--cluster', 'staging']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^pix: error: cluster: staging is not a cluster of /);
  });

  it('reads a password from the environment variable a cluster names, and says when it is not set', async () => {
    const { config, pix } = withConfig();
    const added = await pix(
      ['config', 'add-cluster', 'secured', '--brokers', TEST_BROKERS.join(','), '--sasl-mechanism', 'plain'].concat([
        '--sasl-username',
        'pix',
        '--sasl-password-env',
        'SECURED_PASSWORD',
      ]),
    );
    expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readFileSync(config, 'utf8')).toContain('"saslPasswordEnv": "SECURED_PASSWORD"');
    expect((await pix(['config', 'show', 'secured'])).stdout).toContain('password $SECURED_PASSWORD');

    const unset = await pix(['topics', 'list', '--cluster', 'secured']);
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('cluster: secured reads its SASL password from $SECURED_PASSWORD, which is not set');
    // Set, it reaches the broker (which listens in plain text, and refuses the SASL handshake).
    const set = await pix(['topics', 'list', '--cluster', 'secured', '--timeout', '3s'], {
      SECURED_PASSWORD: 'from-the-environment',
    });
    expect(set.code).toBe(3);
    expect(set.stderr).toMatch(/^pix: error: the broker refused pix: .*SASL/);
    expect(set.stderr).not.toContain('from-the-environment');
  });
});
