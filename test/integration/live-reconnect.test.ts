import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { eventsOf, openLive, serveDashboard, waitFor, waitReady } from '../helpers/dashboard.js';
import { PIX_BIN, ndjson, runPix, startPix } from '../helpers/pix.js';
import { freePorts } from '../helpers/ports.js';
import { TmuxSession } from '../helpers/tmux.js';
import { fileFolder } from '../helpers/temp.js';
import { START_BOUND_MS, STOP_BOUND_MS } from '../../src/local/local-broker.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';
import { RECONNECT_BACKOFF_MS, STALL_MS } from '../../src/live-model/feed.js';

// What each step may take, from what pix promises rather than from a guess about the machine:
// `pix local start` answers within START_BOUND_MS and `pix local stop` within STOP_BOUND_MS (and
// 5 s for the port), each with room for the JVM to start or end; a live view notices a silent
// broker within STALL_MS, and retries at most RECONNECT_BACKOFF_MS.last apart, each attempt bounded
// by its --timeout (three waits: topics, join, fetch); the broker may need two attempts to be ready.
const VIEW_TIMEOUT_MS = 2_000;
const START_MS = START_BOUND_MS + 15_000;
const STOP_MS = STOP_BOUND_MS + 15_000;
const LOST_MS = STALL_MS + 1_000 + VIEW_TIMEOUT_MS;
const RECONNECT_MS = 2 * (RECONNECT_BACKOFF_MS.last + 3 * VIEW_TIMEOUT_MS);
/** A broker stopped and started again, and the view back: every outage test takes this at most. */
const OUTAGE_MS = STOP_MS + LOST_MS + START_MS + RECONNECT_MS;
/** What each test does besides the outage: start a view, publish before and after, quit. */
const AROUND_MS = 4 * DEFAULT_TIMEOUT_MS + 30_000;

describe('the live feed when the broker goes away', () => {
  const state = fileFolder('state');
  const env = { PIX_STATE_DIR: state };
  let port = 0;
  const local = (command: 'start' | 'stop') =>
    runPix(['local', command, '--port', String(port), ...(command === 'start' ? ['--heap', '384m'] : [])], {
      env,
      killAfterMs: command === 'start' ? START_MS : STOP_MS,
    });

  const kafka = (): string[] => ['--brokers', `127.0.0.1:${port}`];

  beforeAll(async () => {
    port = await freePorts(2);
    const started = await local('start');
    if (started.code !== 0) throw new Error(`the second broker did not start: ${started.stderr}`);
    const created = await runPix(['topics', 'create', ...kafka()]);
    if (created.code !== 0) throw new Error(`no topics on the second broker: ${created.stderr}`);
  }, START_MS + DEFAULT_TIMEOUT_MS);

  afterAll(async () => {
    if (port) await local('stop');
  });

  it(
    'tells the dashboard, and reads on from where it stopped once the broker is back',
    async () => {
      const kafka = ['--brokers', `127.0.0.1:${port}`];
      const dashboard = await serveDashboard([...kafka, '--timeout', `${VIEW_TIMEOUT_MS}ms`]);
      try {
        await waitReady(dashboard.url);
        const live = await openLive(dashboard.url);
        expect((await runPix(['publish', 'price', '--id', 'before', '--price', '1', ...kafka])).code).toBe(0);
        await live.next((frame) => eventsOf(frame, 'before').length > 0);

        expect((await local('stop')).code).toBe(0);
        const lost = await live.next((frame) => frame.connection.state !== 'connected', LOST_MS);
        expect(['reconnecting', 'unreachable']).toContain(lost.connection.state);
        await waitFor('/readyz to answer 503', async () =>
          (await fetch(`${dashboard.url}readyz`)).status === 503 ? true : undefined,
        );

        expect((await local('start')).code).toBe(0);
        await waitReady(dashboard.url, RECONNECT_MS);
        expect((await runPix(['publish', 'price', '--id', 'after', '--price', '2', ...kafka])).code).toBe(0);
        const back = await live.next((frame) => eventsOf(frame, 'after').length > 0, DEFAULT_TIMEOUT_MS);
        expect(back.connection.state).toBe('connected');
        // Nothing read twice: the event from before the outage arrived once.
        expect(live.frames.flatMap((frame) => eventsOf(frame, 'before'))).toHaveLength(1);
        live.close();
      } finally {
        await dashboard.stop();
      }
    },
    OUTAGE_MS + AROUND_MS,
  );

  it(
    'shows it in the TUI status bar, which never crashes and reconnects',
    async () => {
      const session = new TmuxSession(
        `pix-tui-lost-${process.pid}`,
        `NODE_ENV=production node ${PIX_BIN} tui ${kafka().join(' ')} --timeout ${VIEW_TIMEOUT_MS}ms; echo "pix exited $?"; sleep 30`,
      );
      try {
        await session.waitFor(/│ connected │/, 2 * DEFAULT_TIMEOUT_MS);
        expect((await local('stop')).code).toBe(0);
        await session.waitFor(/│ (reconnecting|broker unreachable) │/, LOST_MS);
        expect((await local('start')).code).toBe(0);
        await session.waitFor(/│ connected │/, RECONNECT_MS);
        expect((await runPix(['publish', 'price', '--id', 'BACK-1', '--price', '5', ...kafka()])).code).toBe(0);
        const screen = await session.waitFor(/BACK-1 +5\.00 USD/, DEFAULT_TIMEOUT_MS);
        expect(screen).not.toContain('pix exited');
        session.sendKeys('q');
        // Quitting disconnects the consumer, which may wait on a broker that has just come back.
        await session.waitFor(/pix exited 0/, 2 * DEFAULT_TIMEOUT_MS);
      } finally {
        session.kill();
      }
    },
    OUTAGE_MS + AROUND_MS,
  );

  it(
    'publishes a stream through a broker restart: every event once, each product in order',
    async () => {
      const line = (index: number): string =>
        `${JSON.stringify({ type: 'price', productId: `R-${index % 50}`, price: Math.floor(index / 50) })}\n`;
      const lines = (from: number, to: number): string =>
        Array.from({ length: to - from }, (_, offset) => line(from + offset)).join('');
      const restarted = async (): Promise<{ productId: string; price: number }[]> => {
        const { stdout } = await runPix(['consume', 'price', '--from-beginning', '--exit', '--json', ...kafka()]);
        return ndjson<{ event: { productId: string; price: number } }>(stdout)
          .map(({ event }) => event)
          .filter((event) => event.productId.startsWith('R-'));
      };

      const publishing = startPix(
        // Its --timeout outlasts the outage: a broker that is back within it loses nothing.
        ['publish', '--file', '-', '--skip-invalid', '--batch-size', '100', '--timeout', `${OUTAGE_MS}ms`, ...kafka()],
        { openStdin: true, killAfterMs: OUTAGE_MS + AROUND_MS },
      );
      publishing.child.stdin.write(lines(0, 2_000));
      let seen = 0;
      await waitFor(
        'the first 2,000 events on the topic',
        async () => ((seen = (await restarted()).length) >= 2_000 ? true : undefined),
        3 * DEFAULT_TIMEOUT_MS,
      ).catch((error: unknown) => {
        throw new Error(`${(error as Error).message}: ${seen} seen; pix publish said: ${publishing.stderr()}`);
      });

      expect((await local('stop')).code).toBe(0);
      publishing.child.stdin.write(lines(2_000, 4_000));
      expect((await local('start')).code).toBe(0);
      publishing.child.stdin.end();

      const finished = await publishing.finished;
      expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 0, stderr: '' });
      expect(finished.stdout).toMatch(/^published 4000 events/);
      const events = await restarted();
      expect(events).toHaveLength(4_000);
      for (let product = 0; product < 50; product += 1) {
        const prices = events.filter((event) => event.productId === `R-${product}`).map((event) => event.price);
        expect(prices).toEqual(Array.from({ length: 80 }, (_, index) => index));
      }
    },
    OUTAGE_MS + AROUND_MS + 60_000,
  );
});
