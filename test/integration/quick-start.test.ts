import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { ndjson, runPix, type Finished } from '../helpers/pix.js';

// `pix publish <type>` on a plain command line starts without oclif (src/publish/quick-start.ts).
// Each case runs both ways, PIX_QUICK_START=off forcing oclif: what a script sees must not differ.
const run = (args: string[], quick: boolean): Promise<Finished> =>
  runPix(args, { env: { PIX_QUICK_START: quick ? undefined : 'off' } });

describe('one event started without oclif', () => {
  let topics: FreshTopics;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());
  const kafka = (): string[] => [...brokerArg(), '--topic-prefix', topics.prefix];

  it('publishes and prints the same line, and both events arrive', async () => {
    const topic = `${topics.prefix}product-price-update`;
    for (const quick of [true, false]) {
      const { code, stdout, stderr } = await run(['publish', 'price', '--id', 'q-1', '--price=3.5', ...kafka()], quick);
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(stdout).toMatch(new RegExp(`^price q-1 → ${topic.replaceAll('.', '\\.')}\\[\\d\\]@\\d+\\n$`));
    }
    const consumed = await runPix(['consume', 'price', '--from-beginning', '--exit', '--json', ...kafka()]);
    const events = ndjson<{ topic: string; event: { productId: string; price: number } }>(consumed.stdout);
    const published = events.filter(({ event }) => event.productId === 'q-1');
    expect(published.map((record) => [record.topic, record.event.price])).toEqual([
      [topic, 3.5],
      [topic, 3.5],
    ]);
  });

  it('prints the same JSON with --json', async () => {
    const results = [];
    for (const quick of [true, false]) {
      const { code, stdout } = await run(
        ['publish', 'discount', '--id', 'q-2', '--discount', '15', '--origin', 'cloud', '--json', ...kafka()],
        quick,
      );
      expect(code).toBe(0);
      const { eventId, offset, event, ...rest } = JSON.parse(stdout) as {
        eventId: string;
        offset: string;
        event: Record<string, unknown>;
      };
      expect(event.eventId).toBe(eventId);
      expect(offset).toMatch(/^\d+$/);
      results.push({ ...rest, event: { ...event, eventId: 'x', occurredAt: 'x' }, layout: stdout.split('\n').length });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({ event: { type: 'discount', productId: 'q-2', discount: 15, origin: 'cloud' } });
  });

  it.each([
    ['an invalid field', ['publish', 'price', '--id', 'q-3', '--price', '1', '--currency', 'XYZ'], 2],
    ['an invalid field, with --json', ['publish', 'price', '--id', 'q-3', '--price', 'ten', '--json'], 2],
    ['a setting that is wrong', ['publish', 'country', '--id', 'q-3', '--country', 'DE', '--timeout', 'soon'], 2],
  ])('fails alike on %s, before any broker is asked', async (_, args, exitCode) => {
    const [quick, oclif] = [await run([...args, ...kafka()], true), await run([...args, ...kafka()], false)];
    expect(quick.code).toBe(exitCode);
    expect({ code: quick.code, stdout: quick.stdout, stderr: quick.stderr }).toEqual({
      code: oclif.code,
      stdout: oclif.stdout,
      stderr: oclif.stderr,
    });
  });

  it('fails alike on a missing topic (exit 2) and an unreachable broker (exit 3)', async () => {
    const cases: [string[], number][] = [
      [['--brokers', brokerArg()[1] ?? '', '--topic-prefix', 'no-such-prefix.'], 2],
      [['--brokers', '127.0.0.1:1', '--timeout', '1s'], 3],
    ];
    for (const [settings, exitCode] of cases) {
      const args = ['publish', 'price', '--id', 'q-4', '--price', '1', ...settings];
      const [quick, oclif] = [await run(args, true), await run(args, false)];
      expect(quick.code).toBe(exitCode);
      expect(quick.stderr).toMatch(/^pix: error: /);
      expect({ code: quick.code, stderr: quick.stderr }).toEqual({ code: oclif.code, stderr: oclif.stderr });
    }
  });
});
