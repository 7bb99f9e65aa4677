import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

import { processChunk, type ChunkRequest, type ChunkResult } from './input-chunk.js';

/** Below this much input, starting worker threads costs more than it saves. */
const POOL_THRESHOLD_BYTES = 4 << 20;

interface Waiting {
  resolve: (result: ChunkResult) => void;
  reject: (error: Error) => void;
}

/**
 * Validates and encodes input chunks on worker threads, one per core, when the input is big
 * enough to be worth it: from the start for a file of that size, once that much has been read
 * from a stream. Before that, and when run from the TypeScript sources, on this thread.
 * Parsing, validating and encoding events is most of a bulk publish's work.
 */
export class ChunkPool {
  private workers: Worker[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private nextId = 0;
  private bytesSeen: number;
  private failure: Error | undefined;

  /** @param inputBytes the whole input's size, when it is known before reading */
  constructor(inputBytes?: number) {
    this.bytesSeen = inputBytes ?? 0;
  }

  /** Resolves with the chunk's result; results may be awaited in any order. */
  run(request: ChunkRequest): Promise<ChunkResult> {
    this.bytesSeen += request.bytes.byteLength;
    if (this.workers.length === 0 && this.bytesSeen >= POOL_THRESHOLD_BYTES) this.start();
    if (this.workers.length === 0) return Promise.resolve(processChunk(request));
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise<ChunkResult>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      // A copy of just these bytes, moved rather than cloned: a view may sit in a larger buffer.
      const bytes = new Uint8Array(request.bytes);
      worker.postMessage({ ...request, bytes, id }, [bytes.buffer]);
    });
  }

  /** How many chunks may be on their way at once, for a reader that keeps the workers busy. */
  get depth(): number {
    return Math.max(2, this.workers.length * 2);
  }

  async close(): Promise<void> {
    const workers = this.workers;
    this.workers = [];
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private start(): void {
    // One file (npm run build:worker): a worker loads it in half the time of its thirty modules.
    // Named from the folder above, as this code also runs from the fast path's bundle in dist/cli.
    const script = new URL('../publish/chunk-worker.bundle.js', import.meta.url);
    if (import.meta.url.endsWith('.ts')) return; // run from the sources: no built worker script
    const count = Math.max(1, Math.min(availableParallelism(), 8));
    for (let index = 0; index < count; index += 1) {
      const worker = new Worker(script, {
        // A young generation this size lets the short-lived objects of each line die cheaply: with
        // 8 MB, a worker spent a fifth of its time collecting them.
        resourceLimits: { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 128 },
      });
      worker.on('message', ({ id, result }: { id: number; result: ChunkResult }) => {
        const waiting = this.waiting.get(id);
        this.waiting.delete(id);
        if (result.encoded) {
          const { bytes } = result.encoded;
          result.encoded.bytes = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
        }
        waiting?.resolve(result);
      });
      worker.on('error', (error) => this.fail(error));
      this.workers.push(worker);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const { reject } of this.waiting.values()) reject(error);
    this.waiting.clear();
  }
}
