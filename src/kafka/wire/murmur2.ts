/* eslint-disable @typescript-eslint/no-non-null-assertion --
   Byte loops over buffers whose bounds the loop condition checks: `?? 0` would cost a branch a byte. */

/** The hash of a message key that picks its partition, as Kafka's Java client and kafkajs do. */
export function keyHash(key: string): number {
  return murmur2(Buffer.from(key));
}

/** A key's partition from its hash: one product keeps its partition whichever client published it. */
export function partitionOfHash(hash: number, partitions: number): number {
  return (hash & 0x7fffffff) % partitions;
}

export function murmur2(data: Buffer): number {
  const m = 0x5bd1e995;
  const length = data.length;
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
