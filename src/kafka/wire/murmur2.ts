/* eslint-disable @typescript-eslint/no-non-null-assertion --
   Byte loops over buffers whose bounds the loop condition checks: `?? 0` would cost a branch a byte. */

/** The hash of a message key that picks its partition, as Kafka's Java client and kafkajs do. */
export function keyHash(key: string): number {
  // Short ASCII keys (most product ids) are copied a character at a time: no buffer to allocate.
  const length = key.length;
  if (length <= ASCII_KEY.length) {
    let index = 0;
    while (index < length) {
      const code = key.charCodeAt(index);
      if (code >= 0x80) break;
      ASCII_KEY[index++] = code;
    }
    if (index === length) return murmur2(ASCII_KEY, length);
  }
  return murmur2(Buffer.from(key));
}

const ASCII_KEY = new Uint8Array(64);

/** A key's partition from its hash: one product keeps its partition whichever client published it. */
export function partitionOfHash(hash: number, partitions: number): number {
  return (hash & 0x7fffffff) % partitions;
}

/** Murmur2 of the first `length` bytes of `data`. */
export function murmur2(data: Uint8Array, length = data.length): number {
  const m = 0x5bd1e995;
  let h = 0x9747b28c ^ length;
  const whole = length & ~3;
  for (let i = 0; i < whole; i += 4) {
    let k = data[i]! | (data[i + 1]! << 8) | (data[i + 2]! << 16) | (data[i + 3]! << 24);
    k = Math.imul(k, m);
    k ^= k >>> 24;
    k = Math.imul(k, m);
    h = Math.imul(h, m) ^ k;
  }
  const tail = length & 3;
  if (tail === 3) h ^= data[whole + 2]! << 16;
  if (tail >= 2) h ^= data[whole + 1]! << 8;
  if (tail >= 1) h = Math.imul(h ^ data[whole]!, m);
  h ^= h >>> 13;
  h = Math.imul(h, m);
  h ^= h >>> 15;
  return h | 0;
}
