import type { WebSocket } from 'ws';

import type { LiveModel } from '../live-model/model.js';
import { snapshotFrame, updateFrame } from './frames.js';

interface BroadcasterOptions {
  /** At most one frame per this many milliseconds (default 10). */
  frameIntervalMs?: number;
  /** A client whose unsent bytes pass this is dropped (default 1 MiB). */
  maxBufferedBytes?: number;
  /** A frame with the last whole second's counts goes out this often, events or not (default 1 s). */
  tickMs?: number;
  onClientsChanged?: (count: number) => void;
  onDropped?: () => void;
  /**
   * A client sent a frame that breaks the protocol or its limits (too long, not UTF-8, a reserved
   * opcode, unmasked, RSV1 set): ws has closed it with the matching close code; `reason` is ws's
   * error code, such as WS_ERR_UNSUPPORTED_MESSAGE_LENGTH.
   */
  onRefused?: (reason: string) => void;
}

/**
 * Sends the live model to every WebSocket client: a snapshot on connect, then update frames. An
 * event that finds no frame pending goes out at once; events arriving while one is pending join
 * it; frames are at least frameIntervalMs apart. Each frame is serialized once and the same bytes
 * go to every client, and a client that cannot keep up is dropped rather than slowing the others.
 */
export class FrameBroadcaster {
  private readonly clients = new Set<WebSocket>();
  private readonly frameIntervalMs: number;
  private readonly maxBufferedBytes: number;
  private sentSeq: number;
  private lastSentAt = 0;
  private pendingTimer: NodeJS.Timeout | undefined;
  private pendingImmediate: NodeJS.Immediate | undefined;
  private reset = false;
  private readonly ticker: NodeJS.Timeout;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly model: LiveModel,
    private readonly options: BroadcasterOptions = {},
  ) {
    this.frameIntervalMs = options.frameIntervalMs ?? 10;
    this.maxBufferedBytes = options.maxBufferedBytes ?? 1024 * 1024;
    this.sentSeq = model.seq;
    this.unsubscribe = model.onChange((change) => {
      if (change.kind === 'clear') this.reset = true;
      this.schedule();
    });
    this.ticker = setInterval(() => this.flush(true), options.tickMs ?? 1_000);
    this.ticker.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  add(client: WebSocket): void {
    this.clients.add(client);
    this.options.onClientsChanged?.(this.clients.size);
    client.on('close', () => {
      if (this.clients.delete(client)) this.options.onClientsChanged?.(this.clients.size);
    });
    // The view is read-only: whatever a browser sends is ignored, never passed on.
    client.on('message', () => undefined);
    // Without a listener, one bad frame from one client would end the whole dashboard.
    client.on('error', (error: Error & { code?: string }) => this.options.onRefused?.(error.code ?? 'socket_error'));
    this.sendTo(client, Buffer.from(JSON.stringify(snapshotFrame(this.model))));
  }

  close(): void {
    clearInterval(this.ticker);
    this.cancelPending();
    this.unsubscribe();
    for (const client of this.clients) client.close(1001, 'server stopping');
  }

  private schedule(): void {
    if (this.pendingTimer !== undefined || this.pendingImmediate !== undefined) return;
    const wait = this.lastSentAt + this.frameIntervalMs - Date.now();
    if (wait <= 0) {
      // At once, yet after the rest of this turn: kafkajs hands over the partitions of one fetch
      // one after another, and they should share a frame rather than wait for the next.
      this.pendingImmediate = setImmediate(() => this.flush(false));
    } else {
      this.pendingTimer = setTimeout(() => this.flush(false), wait);
    }
  }

  private cancelPending(): void {
    clearTimeout(this.pendingTimer);
    clearImmediate(this.pendingImmediate);
    this.pendingTimer = undefined;
    this.pendingImmediate = undefined;
  }

  private flush(withSecond: boolean): void {
    this.cancelPending();
    const frame = updateFrame(this.model, this.sentSeq, { withSecond });
    if (this.reset) {
      frame.reset = true;
      this.reset = false;
    }
    this.sentSeq = this.model.seq;
    this.lastSentAt = Date.now();
    if (this.clients.size === 0) return;
    const bytes = Buffer.from(JSON.stringify(frame));
    for (const client of this.clients) this.sendTo(client, bytes);
  }

  private sendTo(client: WebSocket, bytes: Buffer): void {
    if (client.readyState !== client.OPEN) return;
    if (client.bufferedAmount > this.maxBufferedBytes) {
      this.clients.delete(client);
      this.options.onClientsChanged?.(this.clients.size);
      this.options.onDropped?.();
      // terminate, not close: a client this far behind would not read a closing handshake either.
      client.terminate();
      return;
    }
    client.send(bytes, { binary: false });
  }
}
