import { parentPort } from 'node:worker_threads';

import { processChunk, type ChunkRequest } from './input-chunk.js';

/** A worker thread of chunk-pool.ts: validates and encodes the chunks it is sent. */
parentPort?.on('message', (request: ChunkRequest & { id: number }) => {
  const result = processChunk(request);
  // Both are made by this thread with allocUnsafeSlow and Int32Array.slice: whole ArrayBuffers of its own.
  const moved = result.encoded ? [result.encoded.bytes.buffer, result.encoded.spans.buffer] : [];
  parentPort?.postMessage({ id: request.id, result }, moved as ArrayBuffer[]);
});
