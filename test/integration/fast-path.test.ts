import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { ndjson, runPix, type Finished } from '../helpers/pix.js';
import { fileFolder } from '../helpers/temp.js';

// `pix publish <type>` and `pix publish --file` on a plain command line start without oclif
// (src/cli/fast-path.ts). Each case runs both ways, PIX_FAST_PATH=off forcing oclif: what a script sees must not differ.
const run = (args: string[], fastPath: boolean, input?: string): Promise<Finished> =>
  runPix(args, { env: { PIX_FAST_PATH: fastPath ? undefined : 'off' }, ...(input === undefined ? {} : { input }) });

/** A summary line with its timing taken out, which differs from run to run. */
const untimed = (text: string): string => text.replace(/ in \d+\.\d\ds \(\d+ events\/s\)/, ' in Ts (R events/s)');

describe('one event started without oclif', () => {
  let topics: FreshTopics;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());
  const kafka = (): string[] => [...brokerArg(), '--topic-prefix', topics.prefix];

  it('publishes and prints the same line, and both events arrive', async () => {
    const topic = `${topics.prefix}product-price-update`;
    for (const fastPath of [true, false]) {
      const { code, stdout, stderr } = await run(
        ['publish', 'price', '--id', 'q-1', '--price=3.5', ...kafka()],
        fastPath,
      );
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
    for (const fastPath of [true, false]) {
      const { code, stdout } = await run(
        ['publish', 'discount', '--id', 'q-2', '--discount', '15', '--origin', 'cloud', '--json', ...kafka()],
        fastPath,
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
    const [fastPath, oclif] = [await run([...args, ...kafka()], true), await run([...args, ...kafka()], false)];
    expect(fastPath.code).toBe(exitCode);
    expect({ code: fastPath.code, stdout: fastPath.stdout, stderr: fastPath.stderr }).toEqual({
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
      const [fastPath, oclif] = [await run(args, true), await run(args, false)];
      expect(fastPath.code).toBe(exitCode);
      expect(fastPath.stderr).toMatch(/^pix: error: /);
      expect({ code: fastPath.code, stderr: fastPath.stderr }).toEqual({ code: oclif.code, stderr: oclif.stderr });
    }
  });
});

describe('a file started without oclif', () => {
  let topics: FreshTopics;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());
  const kafka = (): string[] => [...brokerArg(), '--topic-prefix', topics.prefix];
  const folder = fileFolder('fastPath');
  const file = (name: string, lines: string[]): string => {
    const path = join(folder, name);
    writeFileSync(path, `${lines.join('\n')}\n`);
    return path;
  };
  const events = [
    '{"type":"price","productId":"f-1","price":2.5}',
    '{"event_type":"product-discount-update","data":{"product_id":"f-2","discount":10}}',
    '{"type":"country","productId":"f-3","country":"de"}',
  ];

  it('publishes a file and stdin, printing the same summary, and every event arrives', async () => {
    const path = file('three.ndjson', events);
    const lines: string[] = [];
    for (const fastPath of [true, false]) {
      for (const [args, input] of [
        [['--file', path], undefined],
        [['--file', '-', '--origin', 'cloud'], events.join('\n')],
      ] as const) {
        const { code, stdout, stderr } = await run(['publish', ...args, ...kafka()], fastPath, input);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
        lines.push(untimed(stdout));
      }
    }
    expect(lines[0]).toBe(
      `published 3 events in Ts (R events/s): ${topics.prefix}product-price-update 1, ${topics.prefix}product-discount-update 1, ${topics.prefix}product-country-update 1; 0 invalid\n`,
    );
    expect(new Set(lines)).toEqual(new Set([lines[0]]));
    const consumed = await runPix(['consume', '--from-beginning', '--exit', '--json', ...kafka()]);
    const arrived = ndjson<{ event: { productId: string; origin: string } }>(consumed.stdout).map(
      ({ event }) => `${event.productId} ${event.origin}`,
    );
    expect(arrived.sort()).toEqual(
      ['f-1', 'f-2', 'f-3'].flatMap((id) => [`${id} local`, `${id} cloud`, `${id} local`, `${id} cloud`]).sort(),
    );
  });

  it('prints the same JSON with --json, and the same report of skipped lines', async () => {
    const path = file('one-bad.ndjson', [...events, '{"type":"price","productId":"f-4","price":-1}']);
    const results = [];
    for (const fastPath of [true, false]) {
      const { code, stdout, stderr } = await run(
        ['publish', '--file', path, '--skip-invalid', '--json', ...kafka()],
        fastPath,
      );
      const { seconds, eventsPerSecond, ...summary } = JSON.parse(stdout) as Record<string, unknown>;
      expect([typeof seconds, typeof eventsPerSecond]).toEqual(['number', 'number']);
      results.push({ code, stderr, summary, layout: stdout.split('\n').length });
    }
    expect(results[0]).toEqual(results[1]);
    expect(results[0]).toMatchObject({
      code: 0,
      stderr: 'line 4: price: must be ≥ 0 (got -1)\n',
      summary: { published: 3, invalid: 1 },
    });
  });

  it.each([
    ['an invalid line', (path: string) => ['--file', path]],
    ['an invalid line, with --json', (path: string) => ['--file', path, '--json']],
    ['a file that does not exist', () => ['--file', join(folder, 'missing.ndjson')]],
    ['a setting that is wrong', (path: string) => ['--file', path, '--timeout', 'soon']],
  ])('fails alike on %s, publishing nothing', async (_, args) => {
    const path = file('bad.ndjson', [events[0] ?? '', '{"type":"price","productId":"f-5"}']);
    const before = await runPix(['consume', '--from-beginning', '--exit', '--json', ...kafka()]);
    const [fastPath, oclif] = [
      await run(['publish', ...args(path), ...kafka()], true),
      await run(['publish', ...args(path), ...kafka()], false),
    ];
    expect(fastPath.code).toBe(2);
    expect(fastPath.stderr).not.toBe('');
    expect({ code: fastPath.code, stdout: fastPath.stdout, stderr: fastPath.stderr }).toEqual({
      code: oclif.code,
      stdout: oclif.stdout,
      stderr: oclif.stderr,
    });
    const after = await runPix(['consume', '--from-beginning', '--exit', '--json', ...kafka()]);
    expect(ndjson(after.stdout).length).toBe(ndjson(before.stdout).length);
  });
});
