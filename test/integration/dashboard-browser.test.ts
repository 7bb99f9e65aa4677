import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { CHROMIUM, serveDashboard, waitReady, type DashboardProcess } from '../helpers/dashboard.js';
import { brokerArg, consumeAll, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { runPix, startPix, type RunningPix } from '../helpers/pix.js';
import { freePorts } from '../helpers/ports.js';
import { badInputs, corpusText } from '../helpers/bad-inputs.js';
import { clientFrame, sendRawFrame } from '../helpers/raw-websocket.js';
import { testFolder } from '../helpers/temp.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';

const ARTIFACTS = 'test-results';

describe('the dashboard page in Chromium', () => {
  let topics: FreshTopics;
  let dashboard: DashboardProcess;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  const kafka = (): string[] => [...brokerArg(), '--topic-prefix', topics.prefix];
  const eventRow = (productId: string) =>
    page.locator('#events tbody tr').filter({ has: page.locator('td.product', { hasText: productId }) });

  beforeAll(async () => {
    topics = await freshTopics();
    dashboard = await serveDashboard([...kafka(), '--from-beginning']);
    await waitReady(dashboard.url);
    browser = await chromium.launch({ executablePath: CHROMIUM });
    page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(dashboard.url);
    await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
  });
  afterAll(async () => {
    await browser.close();
    await dashboard.stop();
    await topics.cleanup();
  });

  it('shows a published event as a row', async () => {
    const published = await runPix(['publish', 'price', '--id', 'BROWSER-1', '--price', '42.5', ...kafka()]);
    expect(published.code).toBe(0);
    const row = eventRow('BROWSER-1');
    await row.waitFor({ timeout: DEFAULT_TIMEOUT_MS });
    expect(await row.locator('td').allTextContents()).toEqual(
      expect.arrayContaining(['price', 'BROWSER-1', '42.50 USD', 'local']) as string[],
    );
    expect(await page.locator('#count-price').textContent()).toBe('1');
    const product = page.locator('#products tbody tr').filter({ hasText: 'BROWSER-1' });
    await expect.poll(() => product.locator('td').nth(1).textContent()).toBe('42.50 USD');
  });

  it('shows a product id full of HTML as text, and runs none of it', async () => {
    const hostile = '<img src=x onerror="alert(1);window.__pixPwned=1">';
    const published = await runPix(['publish', 'discount', '--id', hostile, '--discount', '5', ...kafka()]);
    expect(published.code).toBe(0);
    const row = eventRow('<img src=x');
    await row.waitFor({ timeout: DEFAULT_TIMEOUT_MS });
    expect(await row.locator('td.product').textContent()).toBe(hostile);
    expect(await page.locator('#events img, #products img').count()).toBe(0);
    expect(await page.evaluate(() => (globalThis as { __pixPwned?: number }).__pixPwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
  });

  it('lives through every bad frame of the corpus from other clients, each closed with its code and counted', async () => {
    const frames = badInputs.webSocketFrames();
    for (const frame of frames) {
      const payload =
        frame.payloadHex !== undefined
          ? Buffer.from(frame.payloadHex, 'hex')
          : Buffer.from(corpusText(frame.payload ?? ''));
      const { opcode, masked, rsv1, fin } = frame;
      const bytes = clientFrame(payload, {
        ...(opcode !== undefined ? { opcode } : {}),
        ...(masked !== undefined ? { masked } : {}),
        ...(rsv1 !== undefined ? { rsv1 } : {}),
        ...(fin !== undefined ? { fin } : {}),
      });
      expect({ name: frame.name, close: await sendRawFrame(dashboard.url, bytes) }).toEqual({
        name: frame.name,
        close: frame.close,
      });
    }

    // The server and the page go on.
    expect(dashboard.pix.child.exitCode).toBeNull();
    expect((await runPix(['publish', 'price', '--id', 'AFTER-FRAMES', '--price', '1', ...kafka()])).code).toBe(0);
    await eventRow('AFTER-FRAMES').waitFor({ timeout: DEFAULT_TIMEOUT_MS });
    expect(await page.locator('#connection').getAttribute('data-state')).toBe('connected');
    const metrics = await (await fetch(`${dashboard.url}metrics`)).text();
    for (const reason of new Set(frames.map((frame) => frame.reason))) {
      const count = frames.filter((frame) => frame.reason === reason).length;
      expect(metrics).toContain(`pix_websocket_frames_refused_total{reason="${reason}"} ${count}`);
    }
    expect(pageErrors).toEqual([]);
  });

  it('filters by type, product and origin', async () => {
    await runPix(['publish', 'country', '--id', 'FILTER-1', '--country', 'DE', '--origin', 'cloud', ...kafka()]);
    await eventRow('FILTER-1').waitFor({ timeout: DEFAULT_TIMEOUT_MS });
    await page.selectOption('#filter-type', 'country');
    await expect.poll(() => page.locator('#events tbody tr').count()).toBe(1);
    await page.selectOption('#filter-type', '');
    await page.fill('#filter-product', 'browser');
    await expect.poll(() => page.locator('#events tbody td.product').allTextContents()).toEqual(['BROWSER-1']);
    await page.fill('#filter-product', '');
    await page.selectOption('#filter-origin', 'cloud');
    await expect.poll(() => page.locator('#events tbody td.product').allTextContents()).toEqual(['FILTER-1']);
    await page.selectOption('#filter-origin', '');
  });

  it('pauses the tables while counting what arrives, and catches up on resume', async () => {
    await page.click('#pause');
    expect(await page.locator('#pause').textContent()).toBe('Resume');
    await runPix(['publish', 'price', '--id', 'PAUSED-1', '--price', '1', ...kafka()]);
    await page
      .locator('#paused-info', { hasText: 'paused · 1 new event since' })
      .waitFor({ timeout: DEFAULT_TIMEOUT_MS });
    expect(await eventRow('PAUSED-1').count()).toBe(0);
    await page.click('#pause');
    await eventRow('PAUSED-1').waitFor({ timeout: DEFAULT_TIMEOUT_MS });
    expect(await page.locator('#paused-info').isHidden()).toBe(true);
  });

  it('keeps the page bounded however many events arrive', async () => {
    const dir = testFolder('dom');
    const file = join(dir, 'events.ndjson');
    writeFileSync(
      file,
      Array.from({ length: 600 }, (_, i) => JSON.stringify({ type: 'price', productId: `bulk-${i}`, price: i })).join(
        '\n',
      ),
    );
    const before = Number(await page.locator('#count-price').textContent());
    expect((await runPix(['publish', '--file', file, ...kafka()])).code).toBe(0);
    await expect
      .poll(() => page.locator('#count-price').textContent(), { timeout: DEFAULT_TIMEOUT_MS })
      .toBe(String(before + 600));
    expect(await page.locator('#events tbody tr').count()).toBe(200);
    expect(await page.locator('#products tbody tr').count()).toBe(100);
    expect(pageErrors).toEqual([]);
  });

  it('draws the events/s chart from pix’s own copy of uPlot', async () => {
    expect(await page.locator('#chart canvas').count()).toBeGreaterThan(0);
  });
});

describe('the dashboard page when the server goes away', () => {
  it('says so, and reconnects by itself once the server is back', async () => {
    const topics = await freshTopics();
    const port = await freePorts(2);
    const args = [...brokerArg(), '--topic-prefix', topics.prefix, '--port', String(port), '--from-beginning'];
    const first = startPix(['serve-dashboard', ...args]);
    await first.waitForStdout(/^pix dashboard:/);
    const url = `http://127.0.0.1:${port}/`;
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    let second: RunningPix | undefined;
    try {
      const page = await browser.newPage();
      await page.goto(url);
      await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
      first.child.kill('SIGTERM');
      await first.finished;
      await page.locator('#connection[data-state="offline"]').waitFor({ timeout: DEFAULT_TIMEOUT_MS });
      expect(await page.locator('#connection-text').textContent()).toMatch(/pix is unreachable, retrying in \d+s/);

      second = startPix(['serve-dashboard', ...args]);
      await second.waitForStdout(/^pix dashboard:/);
      await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 15_000 });
      expect(
        (await runPix(['publish', 'price', '--id', 'AFTER-RESTART', '--price', '3', ...args.slice(0, 4)])).code,
      ).toBe(0);
      await page.locator('#events td.product', { hasText: 'AFTER-RESTART' }).waitFor({ timeout: DEFAULT_TIMEOUT_MS });
    } finally {
      await browser.close();
      second?.child.kill('SIGTERM');
      await second?.finished;
      await topics.cleanup();
    }
  });
});

describe('the dashboard page with a token', () => {
  it('opens with ?token= once, then keeps the token out of the address bar', async () => {
    const topics = await freshTopics();
    const dashboard = await serveDashboard([...brokerArg(), '--topic-prefix', topics.prefix, '--token', 'pg-7f1']);
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const page = await browser.newPage();
      const refused = await page.goto(dashboard.url);
      expect(refused?.status()).toBe(401);
      await page.goto(`${dashboard.url}?token=pg-7f1`);
      expect(page.url()).toBe(dashboard.url);
      await page.locator('#connection[data-state="connected"]').waitFor({ timeout: 10_000 });
    } finally {
      await browser.close();
      await dashboard.stop();
      await topics.cleanup();
    }
  });
});

describe('a page of another origin in Chromium', () => {
  it("cannot publish through the operator's browser, with a form or a fetch", async () => {
    const topics = await freshTopics();
    const dashboard = await serveDashboard([...brokerArg(), '--topic-prefix', topics.prefix, '--enable-publish']);
    const target = `${dashboard.url}publish-event`;
    const body = '{"event_type":"product-price-update","data":{"product_id":"csrf","price":1}}';
    // The attacker's page, on another loopback port: another origin.
    const attacker = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><body>
<form id="f" method="POST" action="${target}" enctype="text/plain"><input name='${body.slice(0, -2)}' value='"}'></form>
<script>
  window.fetched = fetch(${JSON.stringify(target)}, { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(body)} })
    .then(() => 'sent', () => 'failed');
</script></body>`);
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const { port } = attacker.address() as AddressInfo;
    const browser = await chromium.launch({ executablePath: CHROMIUM });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${port}/`);
      expect(await page.evaluate(() => (globalThis as unknown as { fetched: Promise<string> }).fetched)).toBe('sent');
      await page.locator('#f').evaluate((form) => (form as unknown as { submit(): void }).submit());
      await page.waitForURL(target);
      const refused = await page.locator('body').textContent();
      expect(refused).toContain('refused to pages of other origins');
      const metrics = await (await fetch(`${dashboard.url}metrics`)).text();
      expect(metrics).toMatch(/^pix_http_publish_requests_total\{result="forbidden"\} 2$/m);
      expect(metrics).not.toMatch(/result="published"/);
      const consumed = await consumeAll(topics.prefix, 'price');
      expect(consumed.stdout).toBe('');
    } finally {
      await browser.close();
      await new Promise((resolve) => attacker.close(resolve));
      await dashboard.stop();
      await topics.cleanup();
    }
  });
});
