/* eslint-disable @typescript-eslint/no-non-null-assertion --
   Byte loops over buffers whose bounds the loop condition checks: `?? 0` would cost a branch a byte. */
import { createRequire } from 'node:module';

/**
 * CRC-32C (Castagnoli), the checksum of Kafka's record batches: the batch is the whole produce
 * request, so this runs over every byte pix publishes. Big batches go to the CPU's own CRC-32C
 * instruction through @node-rs/crc32 (about six times faster than the best JavaScript here);
 * small ones, and every one where that package has no build for the platform, are summed in
 * JavaScript, eight bytes a step.
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  if (end - start >= NATIVE_FROM_BYTES) {
    const native = loadNative();
    if (native) return native(Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start)) >>> 0;
  }
  return portableCrc32c(bytes, start, end);
}

/** Below this the JavaScript sum is quick enough, and a single event never loads the package. */
const NATIVE_FROM_BYTES = 64 << 10;

/** Whether big batches are summed by the CPU's instruction on this machine. */
export function hasNativeCrc32c(): boolean {
  return loadNative() !== null;
}

type NativeCrc32c = (input: Buffer) => number;
let native: NativeCrc32c | null | undefined;

function loadNative(): NativeCrc32c | null {
  if (native === undefined) {
    try {
      const load = createRequire(import.meta.url);
      native = (load('@node-rs/crc32') as { crc32c: NativeCrc32c }).crc32c;
    } catch {
      native = null; // no build for this platform, or a bundle without it: the portable sum serves
    }
  }
  return native;
}

const TABLES = ((): Int32Array[] => {
  const tables = Array.from({ length: 8 }, () => new Int32Array(256));
  const base = tables[0]!;
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    base[n] = c;
  }
  for (let n = 0; n < 256; n += 1) {
    let c = base[n]!;
    for (let t = 1; t < 8; t += 1) {
      c = base[c & 0xff]! ^ (c >>> 8);
      tables[t]![n] = c;
    }
  }
  return tables;
})();

export function portableCrc32c(bytes: Uint8Array, start = 0, end = bytes.length): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
    Int32Array,
  ];
  let crc = -1;
  let i = start;
  for (; i + 8 <= end; i += 8) {
    const low = crc ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    crc =
      t7[low & 0xff]! ^
      t6[(low >>> 8) & 0xff]! ^
      t5[(low >>> 16) & 0xff]! ^
      t4[low >>> 24]! ^
      t3[bytes[i + 4]!]! ^
      t2[bytes[i + 5]!]! ^
      t1[bytes[i + 6]!]! ^
      t0[bytes[i + 7]!]!;
  }
  for (; i < end; i += 1) crc = t0[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
