/**
 * Settles with `work`, or rejects with `onTimeout()` once `ms` have passed. kafkajs retries some
 * operations for minutes and has no overall bound of its own; this is that bound.
 */
export async function withDeadline<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
    // The losing side may still reject later; it has already been accounted for.
    work.catch(() => undefined);
  }
}
