import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';

import { CHROMIUM, openLive, serveDashboard, waitFor, waitReady } from '../helpers/dashboard.js';
import { brokerArg } from '../helpers/kafka.js';
import { PIX_BIN } from '../helpers/pix.js';
import { testFolder } from '../helpers/temp.js';
import { TmuxSession } from '../helpers/tmux.js';
import { freshClusterTopics, leaderOf, publishPrices, startAllNodes, stopNode } from './cluster.js';

const NODES = [1, 2, 3];
/** Each attempt of a view to reach the cluster gives up after this: short, so it tries again soon. */
const VIEW_TIMEOUT = '2s';
/** A view that lost the cluster is back within this of the cluster being back (backoff of 10 s, three waits of --timeout). */
const BACK_MS = 60_000;

describe('live views while the cluster fails', () => {
  afterEach(startAllNodes);

  it('the dashboard, its page and the TUI go on through a leader SIGKILL and a restart of the whole cluster, say so, come back on their own, and count every event once', async () => {
    const prefix = await freshClusterTopics();
    const view = ['--topic-prefix', prefix, '--timeout', VIEW_TIMEOUT, ...brokerArg()];
    const dashboard = await serveDashboard(view);
    const stderrFile = join(testFolder('views'), 'stderr');
    const tui = new TmuxSession(
      `pix-views-${process.pid}`,
      `NODE_ENV=production NO_COLOR=1 node ${PIX_BIN} tui ${view.join(' ')} 2>${stderrFile}; echo "pix exited $?"; sleep 60`,
    );
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const page = await browser.newPage();
      await waitReady(dashboard.url);
      await page.goto(dashboard.url);
      const pageState = (state: string) => page.locator(`#connection[data-state="${state}"]`);
      await pageState('connected').waitFor({ timeout: 20_000 });
      await tui.waitFor(/│ connected │/, 20_000);
      const live = await openLive(dashboard.url);

      const first = await publishPrices(prefix, 'first', 300);
      // The leader dies while events are being published.
      const publishing = publishPrices(prefix, 'second', 300);
      await stopNode(await leaderOf(`${prefix}product-price-update`), 'kill');
      const second = await publishing;
      await startAllNodes();

      // The whole cluster goes: each view says so.
      for (const node of NODES) await stopNode(node, 'kill');
      await waitFor('/readyz to answer 503', async () =>
        (await fetch(`${dashboard.url}readyz`)).status === 503 ? true : undefined,
      );
      await page.locator('#connection:not([data-state="connected"])').waitFor({ timeout: 20_000 });
      expect(await page.locator('#connection-text').textContent()).toMatch(/reconnecting to Kafka|Kafka unreachable/);
      await tui.waitFor(/│ (reconnecting|broker unreachable) │/, 20_000);

      // It comes back: so does each view, on its own.
      await startAllNodes();
      await waitReady(dashboard.url, BACK_MS);
      await pageState('connected').waitFor({ timeout: BACK_MS });
      await tui.waitFor(/│ connected │/, BACK_MS);
      const third = await publishPrices(prefix, 'third', 300);
      const total = first.length + second.length + third.length;

      // Every event counted once: nothing skipped while the cluster was gone, nothing read twice.
      await live.next((frame) => frame.counters.total >= total, 30_000);
      live.close();
      const frames = live.frames;
      expect(frames[frames.length - 1]?.counters.total).toBe(total);
      await page.locator('#count-total', { hasText: new RegExp(`^${total.toLocaleString('en-US')}$`) }).waitFor();
      await tui.waitFor(new RegExp(`│total +${total} `), 30_000);
      tui.sendKeys('q');
      await tui.waitFor(/pix exited 0/, 30_000);
      expect(readFileSync(stderrFile, 'utf8')).toBe('');
    } finally {
      tui.kill();
      await browser.close();
      const stopped = await dashboard.stop();
      expect(stopped.stderr).toBe('');
    }
  }, 400_000);
});
