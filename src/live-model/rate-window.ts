/**
 * Counts per label in one-second buckets over a fixed span, so rates over any shorter window and a
 * per-second series come from the same few numbers, whatever the event rate.
 */
export class SecondBuckets<Label extends string> {
  private readonly span: number;
  private readonly buckets = new Map<Label, number[]>();
  /** The second (since the epoch) the newest bucket stands for. */
  private newest: number;

  constructor(spanSeconds: number, nowMs: number) {
    this.span = spanSeconds;
    this.newest = Math.floor(nowMs / 1000);
  }

  add(label: Label, atMs: number, count = 1): void {
    this.advance(atMs);
    let counts = this.buckets.get(label);
    if (!counts) {
      counts = new Array<number>(this.span).fill(0);
      this.buckets.set(label, counts);
    }
    const index = this.newest % this.span;
    counts[index] = (counts[index] ?? 0) + count;
  }

  /** Events per second over the last `windowSeconds` whole seconds, the current one excluded. */
  rate(label: Label, windowSeconds: number, nowMs: number): number {
    this.advance(nowMs);
    const counts = this.buckets.get(label);
    if (!counts) return 0;
    const window = Math.min(windowSeconds, this.span - 1);
    let sum = 0;
    for (let back = 1; back <= window; back += 1) sum += counts[(this.newest - back + this.span) % this.span] ?? 0;
    return sum / window;
  }

  /** Counts of the last `seconds` whole seconds, oldest first, ending with the second before now. */
  series(label: Label, seconds: number, nowMs: number): number[] {
    this.advance(nowMs);
    const counts = this.buckets.get(label);
    const length = Math.min(seconds, this.span - 1);
    const out = new Array<number>(length).fill(0);
    if (!counts) return out;
    for (let i = 0; i < length; i += 1) {
      out[i] = counts[(this.newest - length + i + this.span) % this.span] ?? 0;
    }
    return out;
  }

  labels(): Label[] {
    return [...this.buckets.keys()];
  }

  /** The second (since the epoch) that the last entry of series() stands for. */
  lastWholeSecond(nowMs: number): number {
    this.advance(nowMs);
    return this.newest - 1;
  }

  clear(): void {
    this.buckets.clear();
  }

  /** Moves time forward, zeroing the buckets it passes; time never moves back. */
  private advance(nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    if (second <= this.newest) return;
    const passed = Math.min(second - this.newest, this.span);
    for (const counts of this.buckets.values()) {
      for (let step = 1; step <= passed; step += 1) counts[(this.newest + step) % this.span] = 0;
    }
    this.newest = second;
  }
}
