/** A fixed-size buffer that keeps the newest items and forgets the oldest. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    this.count = Math.min(this.count + 1, this.capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Newest first, at most `limit` items, stopping early when `until` says so. */
  newestFirst(limit = this.count, until?: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (let back = 1; back <= Math.min(limit, this.count); back += 1) {
      const item = this.items[(this.next - back + this.capacity) % this.capacity] as T;
      if (until?.(item)) break;
      out.push(item);
    }
    return out;
  }

  /** Every item, oldest first. */
  values(): T[] {
    return this.newestFirst().reverse();
  }

  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }
}
