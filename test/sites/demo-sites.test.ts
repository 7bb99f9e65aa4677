import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { ListedLocalCluster } from '../../src/local/commands.js';
import { START_BOUND_MS, STOP_BOUND_MS } from '../../src/local/local-broker.js';
import { openLive, waitReady } from '../helpers/dashboard.js';
import { runPix, startPix } from '../helpers/pix.js';
import { fileFolder } from '../helpers/temp.js';

describe('pix demo --sites', () => {
  // Sites of its own, in a state folder and config file of its own: the demo starts them.
  const folder = fileFolder('demo-sites');
  const env = { PIX_STATE_DIR: join(folder, 'state'), PIX_CONFIG: join(folder, 'config.json') };
  // A config file named by PIX_CONFIG must be there; the demo fills it.
  writeFileSync(env.PIX_CONFIG, '{}\n', { mode: 0o600 });
  const pix = (...args: string[]) => runPix(args, { env, killAfterMs: START_BOUND_MS + STOP_BOUND_MS });
  // Whatever a failing test left running goes before its folder does.
  afterAll(async () => {
    await pix('local', 'mirror', 'stop', '--from', 'on-prem', '--to', 'cloud');
    await pix('local', 'stop', '--all', '--kill');
  });

  it('starts both clusters, the mirror, a simulator per site and the cloud dashboard; Ctrl-C stops them all', async () => {
    const demo = startPix(['demo', '--sites', '--port', '0', '--rate', '50'], { env, killAfterMs: 170_000 });
    try {
      const line = await demo.waitForStdout(/^pix dashboard: http/, 120_000);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(line)?.[1] ?? '';
      await waitReady(url);
      expect(demo.stdout()).toMatch(/^pix demo: on-prem: Kafka started at 127\.0\.0\.1:\d+$/m);
      expect(demo.stdout()).toMatch(/^pix demo: cloud: Kafka started at 127\.0\.0\.1:\d+$/m);
      expect(demo.stdout()).toContain('pix demo: MirrorMaker 2 started from on-prem to cloud');

      // The cloud's dashboard shows the cloud's own events and on-prem's copies, with their delay.
      const live = await openLive(url);
      const frame = await live.next(
        (candidate) =>
          candidate.sites.some(({ site, delay }) => site === 'on-prem' && delay.samples > 0) &&
          (candidate.counters.byOrigin.cloud ?? 0) > 0,
        60_000,
      );
      expect(frame.counters.byOrigin['on-prem']).toBeGreaterThan(0);
      live.close();
      const listed = JSON.parse((await pix('local', 'status', '--json')).stdout) as { clusters: ListedLocalCluster[] };
      expect(listed.clusters.map(({ name, running }) => ({ name, running }))).toEqual([
        { name: 'on-prem', running: true },
        { name: 'cloud', running: true },
      ]);
    } finally {
      demo.child.kill('SIGINT');
    }
    const finished = await demo.finished;
    expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 130, stderr: '' });
    expect(finished.stdout).toContain('pix demo: stopping MirrorMaker 2');
    const mirror = JSON.parse(
      (await pix('local', 'mirror', 'status', '--from', 'on-prem', '--to', 'cloud', '--json')).stdout,
    ) as { running: boolean };
    expect(mirror.running).toBe(false);
    const after = JSON.parse((await pix('local', 'status', '--json')).stdout) as { clusters: ListedLocalCluster[] };
    expect(after.clusters.map(({ running }) => running)).toEqual([false, false]);
  });
});
