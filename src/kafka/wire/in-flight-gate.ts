/**
 * At most `limit` requests out at once, the others waiting their turn in the order they came:
 * the order a partition's batches were given their sequence numbers is the order they are sent.
 */
export class InFlightGate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit || this.waiting.length > 0) {
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.active += 1;
    }
    try {
      return await work();
    } finally {
      // The turn passes straight to the next in line, so nobody overtakes it.
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
