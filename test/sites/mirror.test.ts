import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';

import { CHROMIUM, openLive, serveDashboard, waitFor, waitReady } from '../helpers/dashboard.js';
import { ndjson } from '../helpers/pix.js';
import { eventIdsAt, mirror, pix, recordsAt, runSitePix, siteEnv, startSitePix, type KcatRecord } from './sites.js';

const ONE_WAY = ['--from', 'on-prem', '--to', 'cloud'];

interface Status {
  running: boolean;
  bothWays?: boolean;
  topics?: { topic: string; mirroredAs: string; source: number; mirrored?: number; lag: number }[];
}

async function status(...direction: string[]): Promise<Status> {
  const shown = await mirror('status', ...direction, '--json');
  expect(shown.code).toBe(0);
  return JSON.parse(shown.stdout) as Status;
}

/** Published at `site` with pix, and where it went. */
async function publishPrice(site: string, productId: string): Promise<{ partition: number; offset: number }> {
  const published = await pix('publish', 'price', '--id', productId, '--price', '12.5', '--cluster', site, '--json');
  expect({ code: published.code, stderr: published.stderr }).toEqual({ code: 0, stderr: '' });
  const { partition, offset } = JSON.parse(published.stdout) as { partition: number; offset: string };
  return { partition, offset: Number(offset) };
}

/** The record of `productId` on `topic` at `site`, once it is there; fails after `timeoutMs`. */
function arrival(site: 'on-prem' | 'cloud', topic: string, productId: string, timeoutMs: number): Promise<KcatRecord> {
  return waitFor(
    `${productId} on ${topic} at ${site}`,
    async () => (await recordsAt(site, topic)).find(({ key }) => key === productId),
    timeoutMs,
  );
}

describe('pix local mirror: MirrorMaker 2 between two real clusters', () => {
  it('replicates on-prem to cloud: an event published on-prem is on cloud within 10 s, key, headers and body alike', async () => {
    const started = await mirror('start', ...ONE_WAY, '--json');
    expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: '' });
    expect(JSON.parse(started.stdout)).toMatchObject({ running: true, started: true, from: 'on-prem', to: 'cloud' });
    expect((await mirror('start', ...ONE_WAY)).stdout).toContain('MirrorMaker 2 already running from on-prem to cloud');

    const { partition, offset } = await publishPrice('on-prem', 'mirrored-1');
    const original = (await recordsAt('on-prem', 'product-price-update')).find(
      (record) => record.partition === partition && record.offset === offset,
    );
    // MirrorMaker's default replication policy names the copy after its source.
    const copy = await arrival('cloud', 'on-prem.product-price-update', 'mirrored-1', 10_000);
    expect(original).toBeDefined();
    expect({
      key: copy.key,
      headers: copy.headers,
      payload: copy.payload,
      ts: copy.ts,
      partition: copy.partition,
    }).toEqual({
      key: original?.key,
      headers: original?.headers,
      payload: original?.payload,
      // The source's timestamp is kept, and the partition.
      ts: original?.ts,
      partition,
    });

    // MirrorMaker's own heartbeats reach the cloud; the reverse direction made nothing on-prem.
    expect((await recordsAt('cloud', 'heartbeats')).length).toBeGreaterThan(0);
    const onPremTopics = (await pix('topics', 'list', '--cluster', 'on-prem', '--json')).stdout;
    const names = (JSON.parse(onPremTopics) as { topics: { topic: string }[] }).topics.map(({ topic }) => topic);
    expect(
      names.filter((name) => name.startsWith('cloud.') || name.endsWith('.on-prem.internal') || name === 'heartbeats'),
    ).toEqual([]);

    // Status names the process and how far behind each topic is: caught up.
    const shown = await waitFor('the price topic caught up', async () => {
      const now = await status(...ONE_WAY);
      return now.topics?.find(({ topic }) => topic === 'product-price-update')?.lag === 0 ? now : undefined;
    });
    expect(shown).toMatchObject({ running: true, bothWays: false });
    expect(shown.topics?.map(({ mirroredAs }) => mirroredAs)).toEqual([
      'on-prem.product-price-update',
      'on-prem.product-discount-update',
      'on-prem.product-country-update',
    ]);
    const text = (await mirror('status', ...ONE_WAY)).stdout;
    expect(text).toMatch(/^on-prem\.product-price-update\s+1\s+1\s+0$/m);
  });

  it('is the cluster a context names: --cluster and pix config use reach each site', async () => {
    const read = (...args: string[]) =>
      pix('consume', 'price', '--topic-prefix', 'on-prem.', '--from-beginning', '--exit', '--json', ...args);
    const fromCloud = await read('--cluster', 'cloud');
    expect(ndjson<{ event: { productId: string } }>(fromCloud.stdout).map(({ event }) => event.productId)).toEqual([
      'mirrored-1',
    ]);
    // on-prem has no mirrored topics: asked for them, it says they are missing.
    const fromOnPrem = await read('--cluster', 'on-prem');
    expect(fromOnPrem.code).toBe(2);
    expect(fromOnPrem.stderr).toContain('topic on-prem.product-price-update does not exist');

    expect((await pix('config', 'use', 'cloud')).code).toBe(0);
    try {
      const selected = await read();
      expect(ndjson<{ event: { productId: string } }>(selected.stdout)).toHaveLength(1);
    } finally {
      expect((await pix('config', 'use', 'on-prem')).code).toBe(0);
    }
    const bySelection = await read();
    expect(bySelection.code).toBe(2);
  });

  it('is read on cloud with its own events by default: consume, the dashboard page and /metrics give the site and its delay', async () => {
    expect((await pix('topics', 'create', '--cluster', 'cloud')).code).toBe(0);
    await publishPrice('cloud', 'cloud-local-1');
    await publishPrice('on-prem', 'mirrored-for-views');
    await arrival('cloud', 'on-prem.product-price-update', 'mirrored-for-views', 10_000);
    const read = async (...args: string[]) =>
      ndjson<{ topic: string; event: { productId: string; origin: string } }>(
        (await pix('consume', 'price', '--cluster', 'cloud', '--from-beginning', '--exit', '--json', ...args)).stdout,
      ).map(({ topic, event }) => `${topic} ${event.productId} ${event.origin}`);
    expect((await read()).sort()).toEqual([
      'on-prem.product-price-update mirrored-1 on-prem',
      'on-prem.product-price-update mirrored-for-views on-prem',
      'product-price-update cloud-local-1 cloud',
    ]);
    expect(await read('--local-only')).toEqual(['product-price-update cloud-local-1 cloud']);

    const dashboard = await serveDashboard(['--cluster', 'cloud'], siteEnv);
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      await waitReady(dashboard.url);
      const page = await browser.newPage();
      await page.goto(dashboard.url);
      await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
      // Before any event crosses, MirrorMaker's heartbeats say the mirror from on-prem is alive.
      const row = page.locator('#site-rows tr[data-site="on-prem"]');
      await page.locator('#site-rows tr[data-site="on-prem"][data-alive="true"]').waitFor({ timeout: 15_000 });
      const quiet = await row.locator('td').allTextContents();
      expect(quiet.slice(1, 5)).toEqual(['0', '0.0', '–', '–']);
      expect(quiet[5]).toMatch(/^alive, heartbeat \d+s ago$/);
      await publishPrice('on-prem', 'mirrored-live');
      await row.locator('td', { hasText: /^1$/ }).waitFor({ timeout: 15_000 });
      const cells = await row.locator('td').allTextContents();
      expect(cells[0]).toBe('on-prem');
      expect(cells[1]).toBe('1');
      // A delay was measured: p50 / p99 in milliseconds or seconds, not the dash of none.
      expect(cells[3]).toMatch(/^\d[\d.]* ?m?s? \/ \d[\d.]* ?m?s$/);
      const metrics = await (await fetch(new URL('/metrics', dashboard.url))).text();
      expect(metrics).toMatch(/^pix_replication_delay_seconds_count\{source_site="on-prem"\} 1$/m);
      expect(metrics).toContain('pix_replication_delay_seconds_bucket{le="10",source_site="on-prem"} 1');
    } finally {
      await browser.close();
      await dashboard.stop();
    }
  });

  it('stopped while events flow and started again, loses nothing and copies each event at most twice', async () => {
    const onCloudBefore = (await eventIdsAt('cloud', 'on-prem.')).length;
    // A steady flow across the stop and the start…
    const simulator = startSitePix('simulate', '--cluster', 'on-prem', '--sites', 'on-prem', '--rate', '100');
    await waitFor(
      'events of the simulator on cloud',
      async () => ((await eventIdsAt('cloud', 'on-prem.')).length > onCloudBefore + 100 ? true : undefined),
      30_000,
    );
    const stopped = await mirror('stop', ...ONE_WAY);
    expect(stopped.stdout).toMatch(/^stopped MirrorMaker 2 from on-prem to cloud \(pid \d+\)$/m);
    expect((await status(...ONE_WAY)).running).toBe(false);
    const onCloudWhileStopped = (await eventIdsAt('cloud', 'on-prem.')).length;
    // …and a thousand events published while no mirror runs.
    const lines = Array.from({ length: 1000 }, (_, index) =>
      JSON.stringify({ type: 'price', productId: `while-stopped-${index}`, price: index + 1 }),
    );
    const published = await runSitePix(['publish', '--file', '-', '--cluster', 'on-prem'], `${lines.join('\n')}\n`);
    expect({ code: published.code, stderr: published.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await eventIdsAt('cloud', 'on-prem.')).length).toBe(onCloudWhileStopped);

    expect((await mirror('start', ...ONE_WAY)).code).toBe(0);
    await waitFor(
      'events of the simulator after the start',
      async () => ((await eventIdsAt('cloud', 'on-prem.')).length > onCloudWhileStopped + 1100 ? true : undefined),
      60_000,
    );
    simulator.child.kill('SIGINT');
    const simulated = await simulator.finished;
    expect(simulated.code).toBe(130);
    const atSource = await eventIdsAt('on-prem', '');
    const copied = await waitFor(
      'every event of on-prem on cloud',
      async () => {
        const ids = await eventIdsAt('cloud', 'on-prem.');
        const present = new Set(ids);
        return atSource.every((id) => present.has(id)) ? ids : undefined;
      },
      60_000,
    );
    const counts = new Map<string, number>();
    for (const id of copied) counts.set(id, (counts.get(id) ?? 0) + 1);
    const duplicates = [...counts.values()].filter((count) => count > 1).length;
    console.log(`mirror stopped and started: ${atSource.length} events at the source, ${duplicates} copied twice`);
    const source = new Set(atSource);
    expect([...counts.keys()].filter((id) => !source.has(id))).toEqual([]);
    // At least once: one restart may copy again what was copied since the last commit, once.
    expect(Math.max(...counts.values())).toBeLessThanOrEqual(2);
  });

  it('--both-ways replicates cloud to on-prem as well, in one MirrorMaker that either direction stops', async () => {
    expect((await mirror('stop', ...ONE_WAY)).code).toBe(0);
    const refused = await mirror('start', ...ONE_WAY, '--both-ways', '--same-names');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('--same-names');

    const started = await mirror('start', ...ONE_WAY, '--both-ways');
    expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: '' });
    expect(started.stdout).toContain('MirrorMaker 2 started between on-prem and cloud');
    expect((await pix('topics', 'create', '--cluster', 'cloud')).code).toBe(0);
    await publishPrice('cloud', 'from-the-cloud');
    await publishPrice('on-prem', 'mirrored-2');
    await arrival('on-prem', 'cloud.product-price-update', 'from-the-cloud', 30_000);
    await arrival('cloud', 'on-prem.product-price-update', 'mirrored-2', 10_000);
    // Nothing goes round: what came from on-prem is not sent back there.
    expect((await recordsAt('on-prem', 'cloud.on-prem.product-price-update')).length).toBe(0);
    expect((await recordsAt('on-prem', 'cloud.product-price-update')).map(({ key }) => key).sort()).toEqual([
      'cloud-local-1',
      'from-the-cloud',
    ]);

    // Both ways, the heartbeats the mirror writes on-prem cross to the cloud like events: with no
    // traffic, the cloud's dashboard still measures how late on-prem's side arrives.
    await waitFor(
      "on-prem's heartbeats copied to cloud",
      async () =>
        (await pix('topics', 'list', '--cluster', 'cloud')).stdout.includes('on-prem.heartbeats') ? true : undefined,
      30_000,
    );
    const dashboard = await serveDashboard(['--cluster', 'cloud'], siteEnv);
    try {
      await waitReady(dashboard.url);
      const live = await openLive(dashboard.url);
      const frame = await live.next(
        (candidate) => candidate.sites.some(({ site, delay }) => site === 'on-prem' && delay.samples > 0),
        20_000,
      );
      live.close();
      expect(frame.sites.find(({ site }) => site === 'on-prem')).toMatchObject({ total: 0, mirrorAlive: true });
    } finally {
      await dashboard.stop();
    }

    expect(await status('--from', 'cloud', '--to', 'on-prem')).toMatchObject({ running: true, bothWays: true });
    const stopped = await mirror('stop', '--from', 'cloud', '--to', 'on-prem');
    expect(stopped.stdout).toMatch(/^stopped MirrorMaker 2/m);
    expect((await status(...ONE_WAY)).running).toBe(false);
  });

  it('names the cluster it does not know, and what makes one', async () => {
    const unknown = await mirror('start', '--from', 'lab', '--to', 'cloud');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--from: lab is not a cluster of');
    expect(unknown.stderr).toContain('pix local start --name lab');
    const notRunning = await mirror('stop', ...ONE_WAY);
    expect(notRunning.stdout).toContain('no MirrorMaker 2 runs from on-prem to cloud');
  });
});
