import { EventEmitter } from 'node:events';

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { WebSocket } from 'ws';

import { FrameBroadcaster } from '../../src/dashboard/broadcaster.js';
import type { Frame } from '../../src/dashboard/frames.js';
import { LiveModel } from '../../src/live-model/model.js';
import { makeEvent } from '../helpers/events.js';

/** A client as the broadcaster sees one: what it was sent, how much it has not yet taken. */
class Client extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  sent: Buffer[] = [];
  terminated = false;
  send(bytes: Buffer): void {
    this.sent.push(bytes);
  }
  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
    this.emit('close');
  }
  close(): void {
    this.emit('close');
  }
  frames(): Frame[] {
    return this.sent.map((bytes) => JSON.parse(bytes.toString()) as Frame);
  }
}

const asSocket = (client: Client): WebSocket => client as unknown as WebSocket;

let offset = 0;
function record(model: LiveModel, productId: string): void {
  model.record(
    { topic: 'product-price-update', partition: 0, offset: String(offset++) },
    makeEvent('price', productId),
  );
}

/** The frame that goes out 'at once' leaves on the event loop's next turn. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

const ids = (frame: Frame | undefined): string[] => frame?.events.map((live) => live.event.productId) ?? [];

describe('FrameBroadcaster', () => {
  afterEach(() => vi.useRealTimers());

  it('sends a snapshot on connect, with what happened before', () => {
    const model = new LiveModel();
    record(model, 'early');
    const broadcaster = new FrameBroadcaster(model);
    const client = new Client();
    broadcaster.add(asSocket(client));
    expect(client.frames()[0]).toMatchObject({ kind: 'snapshot', seq: 1 });
    expect(ids(client.frames()[0])).toEqual(['early']);
    broadcaster.close();
  });

  it('sends an event at once when no frame is pending, and coalesces those that follow within the interval', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    const model = new LiveModel();
    const broadcaster = new FrameBroadcaster(model, { frameIntervalMs: 10 });
    const client = new Client();
    broadcaster.add(asSocket(client));

    record(model, 'a');
    await nextTurn();
    expect(ids(client.frames()[1])).toEqual(['a']);

    record(model, 'b');
    record(model, 'c');
    await nextTurn();
    expect(client.sent).toHaveLength(2);
    vi.advanceTimersByTime(10);
    expect(client.sent).toHaveLength(3);
    expect(ids(client.frames()[2])).toEqual(['c', 'b']);
    broadcaster.close();
  });

  it('serializes each frame once and sends the same bytes to every client', async () => {
    const model = new LiveModel();
    const broadcaster = new FrameBroadcaster(model);
    const clients = [new Client(), new Client(), new Client()];
    for (const client of clients) broadcaster.add(asSocket(client));
    record(model, 'x');
    await nextTurn();
    const [first, ...others] = clients.map((client) => client.sent[1]);
    expect(first).toBeDefined();
    for (const bytes of others) expect(bytes).toBe(first);
    broadcaster.close();
  });

  it('drops a client that cannot keep up, and the others go on receiving', async () => {
    const dropped = vi.fn();
    const model = new LiveModel();
    const broadcaster = new FrameBroadcaster(model, { maxBufferedBytes: 1_000, onDropped: dropped });
    const slow = new Client();
    const fast = new Client();
    broadcaster.add(asSocket(slow));
    broadcaster.add(asSocket(fast));
    slow.bufferedAmount = 5_000;
    record(model, 'y');
    await nextTurn();
    expect(slow.terminated).toBe(true);
    expect(dropped).toHaveBeenCalledOnce();
    expect(broadcaster.clientCount).toBe(1);
    expect(ids(fast.frames()[1])).toEqual(['y']);
    broadcaster.close();
  });

  it('passes on nothing a client sends', async () => {
    const model = new LiveModel();
    const broadcaster = new FrameBroadcaster(model);
    const sender = new Client();
    const viewer = new Client();
    broadcaster.add(asSocket(sender));
    broadcaster.add(asSocket(viewer));
    sender.emit('message', Buffer.from('{"kind":"update","events":[{"event":{"productId":"injected"}}]}'));
    await nextTurn();
    expect(viewer.sent).toHaveLength(1);
    expect(model.seq).toBe(0);
    broadcaster.close();
  });

  it('sends the counts of each whole second for the chart, events or not', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'Date'] });
    const model = new LiveModel();
    const broadcaster = new FrameBroadcaster(model, { tickMs: 1_000 });
    const client = new Client();
    broadcaster.add(asSocket(client));
    vi.advanceTimersByTime(1_000);
    const tick = client.frames()[1];
    expect(tick).toMatchObject({ kind: 'update', events: [], second: { byType: { price: 0 } } });
    broadcaster.close();
  });
});
