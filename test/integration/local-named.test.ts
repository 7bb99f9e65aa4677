import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { ListedLocalCluster } from '../../src/local/commands.js';
import { START_BOUND_MS, STOP_BOUND_MS } from '../../src/local/local-broker.js';
import { ndjson, runPix } from '../helpers/pix.js';
import { accepts, freePorts } from '../helpers/ports.js';
import { fileFolder } from '../helpers/temp.js';

describe('pix local start --name: two local clusters side by side', () => {
  const folder = fileFolder('named');
  const env = { PIX_STATE_DIR: join(folder, 'state'), PIX_CONFIG: join(folder, 'config.json'), PIX_BROKERS: undefined };
  const pix = (...args: string[]) => runPix(args, { env, killAfterMs: START_BOUND_MS + STOP_BOUND_MS });

  afterAll(async () => {
    await pix('local', 'stop', '--all');
  }, 2 * STOP_BOUND_MS);

  it(
    'runs on-prem and cloud on ports of their own, in the config as clusters, listed, stopped by name and all together',
    async () => {
      const onPremPort = await freePorts(2);
      const onPrem = await pix('local', 'start', '--name', 'on-prem', '--port', String(onPremPort), '--heap', '320m');
      expect({ code: onPrem.code, stderr: onPrem.stderr }).toEqual({ code: 0, stderr: '' });
      // The second takes free ports of its own, without being told.
      const cloud = await pix('local', 'start', '--name', 'cloud', '--heap', '320m', '--json');
      expect({ code: cloud.code, stderr: cloud.stderr }).toEqual({ code: 0, stderr: '' });
      const cloudAddress = (JSON.parse(cloud.stdout) as { address: string }).address;
      expect(cloudAddress).not.toBe(`127.0.0.1:${onPremPort}`);

      const status = await pix('local', 'status', '--json');
      const { clusters } = JSON.parse(status.stdout) as { clusters: ListedLocalCluster[] };
      expect(clusters.map(({ name, running, address }) => ({ name, running, address }))).toEqual([
        { name: 'on-prem', running: true, address: `127.0.0.1:${onPremPort}` },
        { name: 'cloud', running: true, address: cloudAddress },
      ]);
      const config = await pix('config', 'list', '--json');
      expect(
        (JSON.parse(config.stdout) as { clusters: { name: string; brokers: string[]; site: string }[] }).clusters,
      ).toEqual([
        expect.objectContaining({ name: 'on-prem', brokers: [`127.0.0.1:${onPremPort}`], site: 'on-prem' }),
        expect.objectContaining({ name: 'cloud', brokers: [cloudAddress], site: 'cloud' }),
      ]);

      // Each is reached by its name, and what is published there carries its site.
      expect((await pix('topics', 'create', '--cluster', 'cloud')).code).toBe(0);
      expect((await pix('publish', 'price', '--id', 'in-the-cloud', '--price', '1', '--cluster', 'cloud')).code).toBe(
        0,
      );
      const read = await pix('consume', 'price', '--from-beginning', '--exit', '--json', '--cluster', 'cloud');
      expect(ndjson<{ event: { productId: string; origin: string } }>(read.stdout).map(({ event }) => event)).toEqual([
        expect.objectContaining({ productId: 'in-the-cloud', origin: 'cloud' }),
      ]);
      expect((await pix('topics', 'list', '--cluster', 'on-prem')).stdout).toContain('no topics');

      // Found again by name; a port that is not its own is refused.
      const again = await pix('local', 'start', '--name', 'on-prem');
      expect(again.stdout).toContain(`Kafka already running at 127.0.0.1:${onPremPort}`);
      const wrongPort = await pix('local', 'start', '--name', 'on-prem', '--port', String(onPremPort + 50));
      expect(wrongPort.code).toBe(2);
      expect(wrongPort.stderr).toContain(`local cluster on-prem runs on port ${onPremPort}`);

      const stopped = await pix('local', 'stop', '--name', 'on-prem');
      expect(stopped.stdout).toContain(`stopped Kafka on 127.0.0.1:${onPremPort}`);
      expect(await accepts(onPremPort)).toBe(false);
      const unknown = await pix('local', 'stop', '--name', 'lab');
      expect(unknown.code).toBe(2);
      expect(unknown.stderr).toContain('there is no local cluster named lab');

      const all = await pix('local', 'stop', '--all');
      expect(all.code).toBe(0);
      expect(all.stdout).toMatch(/^cloud: stopped Kafka on /m);
      const after = JSON.parse((await pix('local', 'status', '--json')).stdout) as { clusters: ListedLocalCluster[] };
      expect(after.clusters.map(({ running }) => running)).toEqual([false, false]);
    },
    3 * START_BOUND_MS,
  );
});
