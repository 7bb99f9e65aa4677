import { WebSocket, type ClientOptions } from 'ws';

import type { Frame } from '../../src/dashboard/frames.js';
import { startPix, type Finished, type RunningPix } from './pix.js';
import { sleep } from '../../src/sleep.js';

/** Debian's Chromium: the tests never download a browser. */
export const CHROMIUM = '/usr/bin/chromium';

export interface DashboardProcess {
  /** http://127.0.0.1:PORT/ */
  url: string;
  pix: RunningPix;
  /** Ctrl-C, and what the process printed and returned. */
  stop(): Promise<Finished>;
}

/** Starts `pix serve-dashboard` on a free port and returns once it printed its address. */
export async function serveDashboard(args: string[], env: Record<string, string> = {}): Promise<DashboardProcess> {
  // Killed only if a test file never stops it: a whole file of browser tests shares one dashboard.
  const pix = startPix(['serve-dashboard', '--port', '0', ...args], { env, killAfterMs: 600_000 });
  const line = await pix.waitForStdout(/^pix dashboard: http/);
  const url = /(http:\/\/\S+\/)/.exec(line)?.[1] ?? '';
  return {
    url,
    pix,
    stop: async () => {
      pix.child.kill('SIGINT');
      return pix.finished;
    },
  };
}

/** Polls `check` until it returns something other than undefined, or fails after timeoutMs. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/** Waits until /readyz says the dashboard's consumer is connected to the broker. */
export async function waitReady(url: string, timeoutMs?: number): Promise<void> {
  await waitFor(
    '/readyz to answer 200',
    async () => ((await fetch(`${url}readyz`)).status === 200 ? true : undefined),
    timeoutMs,
  );
}

export interface LiveSocket {
  socket: WebSocket;
  frames: Frame[];
  /** Resolves with the first frame (already received or still to come) that passes `test`. */
  next(test: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  close(): void;
}

/** Opens the dashboard's WebSocket and collects its frames. */
export function openLive(url: string, options: ClientOptions & { query?: string } = {}): Promise<LiveSocket> {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}live${options.query ?? ''}`, options);
  const frames: Frame[] = [];
  const listeners = new Set<() => void>();
  socket.on('message', (data: Buffer) => {
    frames.push(JSON.parse(data.toString()) as Frame);
    for (const listener of listeners) listener();
  });
  const live: LiveSocket = {
    socket,
    frames,
    next: (test, timeoutMs = 10_000) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`no matching frame within ${timeoutMs} ms (${frames.length} frames)`));
        }, timeoutMs);
        function check(): void {
          const found = frames.find(test);
          if (!found) return;
          clearTimeout(timer);
          listeners.delete(check);
          resolve(found);
        }
        listeners.add(check);
        check();
      }),
    close: () => socket.close(),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(live));
    socket.once('unexpected-response', (_request, response) =>
      reject(new Error(`WebSocket refused: ${response.statusCode}`)),
    );
    socket.once('error', reject);
  });
}

/** The events of a frame whose product id is `productId`. */
export function eventsOf(frame: Frame, productId: string) {
  return frame.events.filter((live) => live.event.productId === productId);
}
