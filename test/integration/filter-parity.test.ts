import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CHROMIUM, serveDashboard, waitReady } from '../helpers/dashboard.js';
import { brokerArg, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { PIX_BIN, runPix } from '../helpers/pix.js';
import { TmuxSession } from '../helpers/tmux.js';
import { testFolder } from '../helpers/temp.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';

const PRODUCTS = ['Cap-RED-1', 'cap-red-2', 'Hat-Red-3', 'cap-blue-4'];

describe('the same filter in pix tui and on the dashboard page', () => {
  let topics: FreshTopics;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());

  it('shows the same products for the same events: a product filter in any case, then a type', async () => {
    const kafka = [...brokerArg(), '--topic-prefix', topics.prefix];
    const folder = testFolder('filter-parity');
    const file = join(folder, 'events.ndjson');
    writeFileSync(
      file,
      [
        { type: 'price', productId: PRODUCTS[0], price: 9 },
        { type: 'discount', productId: PRODUCTS[1], discount: 5 },
        { type: 'country', productId: PRODUCTS[2], country: 'DE' },
        { type: 'price', productId: PRODUCTS[3], price: 3 },
      ]
        .map((event) => JSON.stringify(event))
        .join('\n'),
    );
    expect((await runPix(['publish', '--file', file, ...kafka])).code).toBe(0);

    const stderrFile = join(folder, 'stderr');
    const tui = new TmuxSession(
      `pix-filter-parity-${process.pid}`,
      `env -i PATH="${process.env.PATH ?? ''}" HOME="${process.env.HOME ?? ''}" bash --norc --noprofile`,
      { width: 120, height: 30 },
    );
    const dashboard = await serveDashboard([...kafka, '--from-beginning']);
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      tui.sendKeys(
        `TERM=xterm NODE_ENV=production node ${PIX_BIN} tui ${kafka.join(' ')} --from-beginning 2>${stderrFile}`,
        'Enter',
      );
      await waitReady(dashboard.url);
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
      await page.goto(dashboard.url);
      await page.locator('#products td.product', { hasText: PRODUCTS[3] }).waitFor({ timeout: DEFAULT_TIMEOUT_MS });
      await tui.waitFor(new RegExp(PRODUCTS[3] ?? ''), DEFAULT_TIMEOUT_MS);

      /** Which of the products each view shows: the TUI's screen, and the page's two tables. */
      const shown = async () => ({
        tui: PRODUCTS.filter((id) => tui.capture().includes(id)),
        pageEvents: (await page.locator('#events tbody td.product').allTextContents()).sort(),
        pageProducts: (await page.locator('#products tbody td.product').allTextContents()).sort(),
      });
      const expected = (ids: string[]) => ({ tui: ids, pageEvents: [...ids].sort(), pageProducts: [...ids].sort() });

      await page.fill('#filter-product', 'red');
      tui.sendKeys('/');
      // Typed only once the prompt is up (it covers the keys line): keys sent before it are lost.
      await tui.waitFor(/^(?![\s\S]*q quit)/);
      tui.sendKeys('red', 'Enter');
      await tui.waitFor(/product~red/);
      await expect.poll(shown).toEqual(expected(PRODUCTS.slice(0, 3)));

      await page.selectOption('#filter-type', 'price');
      tui.sendKeys('t');
      await tui.waitFor(/type=price/);
      await expect.poll(shown).toEqual(expected(PRODUCTS.slice(0, 1)));
      expect(readFileSync(stderrFile, 'utf8')).toBe('');
    } finally {
      tui.kill();
      await browser.close();
      await dashboard.stop();
    }
  });
});
