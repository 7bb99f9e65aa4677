import { closeSync, openSync, readSync } from 'node:fs';

/** Random bytes read at a time: a thousand event ids per read of the device. */
const BLOCK_BYTES = 16 * 1024;

/**
 * A maker of version 4 UUIDs (RFC 9562 §5.4: 122 random bits) from the bytes of `device`, the
 * kernel's CSPRNG, as node:crypto's randomUUID() takes them from OpenSSL's; where the device
 * cannot be read (Windows has none), randomUUID() itself. Why not randomUUID() everywhere: loading
 * node:crypto takes about 4 ms, a tenth of what pix adds to a publish of one event
 * (bench/RESULTS.md), and one event needs no other part of it.
 */
export function eventIdsFrom(device: string): () => string {
  let block: Buffer = Buffer.alloc(0);
  let used = 0;
  let fallback: (() => string) | undefined;
  return () => {
    if (fallback) return fallback();
    if (used + 16 > block.length) {
      const read = readFully(device);
      if (!read) {
        fallback = process.getBuiltinModule('node:crypto').randomUUID;
        return fallback();
      }
      block = read;
      used = 0;
    }
    used += 16;
    return uuidText(block, used - 16, 4);
  };
}

/**
 * The 16 bytes of `bytes` from `at` as a UUID of `version` (4: random, 5: named by SHA-1), with
 * the version and RFC 9562's variant written into them.
 */
export function uuidText(bytes: Buffer, at: number, version: 4 | 5): string {
  bytes[at + 6] = ((bytes[at + 6] ?? 0) & 0x0f) | (version << 4);
  bytes[at + 8] = ((bytes[at + 8] ?? 0) & 0x3f) | 0x80;
  const hex = bytes.toString('hex', at, at + 16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** BLOCK_BYTES from the device, or undefined when it cannot be opened or runs dry. */
function readFully(device: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(device, 'r');
  } catch {
    return undefined;
  }
  try {
    const block = Buffer.allocUnsafe(BLOCK_BYTES);
    for (let filled = 0; filled < block.length;) {
      const read = readSync(fd, block, filled, block.length - filled, null);
      if (read === 0) return undefined;
      filled += read;
    }
    return block;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** A new event's id. */
export const newEventId = eventIdsFrom('/dev/urandom');
