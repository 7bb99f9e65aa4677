import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, deleteTopics, freshTopics, withFreshTopics } from '../helpers/kafka.js';
import { kcat } from '../helpers/kcat.js';
import { ndjson, PIX_BIN, pixEnv, runPix, startPix } from '../helpers/pix.js';

interface Record {
  key: string;
  headers: { [name: string]: string };
  event: { productId: string; origin: string; type: string; [field: string]: unknown };
}

const records = (stdout: string): Record[] => ndjson<Record>(stdout);

describe('bounded consumption', () => {
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => {
    topics = await freshTopics();
    const lines = Array.from({ length: 30 }, (_, index) =>
      JSON.stringify({
        type: 'price',
        productId: `p${index % 3}`,
        price: index,
        origin: index % 2 === 0 ? 'cloud' : 'on-prem',
      }),
    ).join('\n');
    const published = await runPix(['publish', '--file', '-', ...brokerArg(), '--topic-prefix', topics.prefix], {
      input: lines,
    });
    if (published.code !== 0) throw new Error(`could not publish the fixture: ${published.stderr}`);
  });
  afterAll(async () => topics.cleanup());
  const kafka = () => [...brokerArg(), '--topic-prefix', topics.prefix];

  it('--exit returns at once on empty topics, and after every event on full ones', async () => {
    const empty = await runPix(['consume', 'discount', 'country', '--from-beginning', '--exit', ...kafka()]);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
    const full = await runPix(['consume', '--from-beginning', '--exit', '--json', ...kafka()]);
    expect(full.code).toBe(0);
    expect(records(full.stdout)).toHaveLength(30);
  });

  it('--product and --origin keep only the matching events', async () => {
    const { stdout } = await runPix([
      'consume',
      '--from-beginning',
      '--exit',
      '--json',
      '--product',
      'p1',
      '--origin',
      'cloud',
      ...kafka(),
    ]);
    const events = records(stdout).map((record) => record.event);
    expect(events).toHaveLength(5);
    expect(events.every((event) => event.productId === 'p1' && event.origin === 'cloud')).toBe(true);
  });

  it('--format prints the fields asked for', async () => {
    const { stdout } = await runPix([
      'consume',
      '--from-beginning',
      '-n',
      '2',
      '--product',
      'p2',
      '--format',
      '{type} {productId} {price}',
      ...kafka(),
    ]);
    expect(stdout.trimEnd().split('\n')).toEqual(['price p2 2', 'price p2 5']);
    const bad = await runPix(['consume', '--format', '{prise}', ...kafka()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('format: unknown field {prise}');
  });

  it('--group commits offsets so the next run resumes; without a group every run starts over', async () => {
    const group = `g-${topics.prefix}`;
    const first = await runPix(['consume', '--from-beginning', '--group', group, '-n', '10', '--json', ...kafka()]);
    expect(records(first.stdout)).toHaveLength(10);
    const rest = await runPix(['consume', '--from-beginning', '--group', group, '--exit', '--json', ...kafka()]);
    expect(records(rest.stdout)).toHaveLength(20);
    const seen = new Set(
      [...records(first.stdout), ...records(rest.stdout)].map((record) => JSON.stringify(record.event)),
    );
    expect(seen.size).toBe(30);
    const again = await runPix(['consume', '--from-beginning', '-n', '10', '--json', ...kafka()]);
    const anew = await runPix(['consume', '--from-beginning', '-n', '10', '--json', ...kafka()]);
    expect(records(anew.stdout).map((record) => record.event)).toEqual(
      records(again.stdout).map((record) => record.event),
    );
  });

  it('stops at once and exits 0 when its reader goes away (`| head`), committing only what was written', async () => {
    await withFreshTopics({ partitions: 1 }, async (fresh) => {
      const settings = [...brokerArg(), '--topic-prefix', fresh.prefix];
      // Far more than a pipe holds: with no reader, the output would wait for ever.
      const lines = Array.from({ length: 20_000 }, (_, index) =>
        JSON.stringify({ type: 'country', productId: `h${index}`, country: 'DE' }),
      );
      const published = await runPix(['publish', '--file', '-', ...settings], { input: lines.join('\n') });
      expect(published.code).toBe(0);
      const group = `g-head-${fresh.prefix}`;
      const reading = startPix(['consume', '--from-beginning', '--exit', '--json', '--group', group, ...settings]);
      await reading.waitForStdout(/"productId":"h0"/);
      reading.child.stdout.destroy(); // what `head` does once it has its lines
      const stopped = await reading.finished;
      expect({ code: stopped.code, stderr: stopped.stderr }).toEqual({ code: 0, stderr: '' });
      // What the first run printed and what the group reads next cover every event: none is lost.
      const whole = stopped.stdout.slice(0, stopped.stdout.lastIndexOf('\n') + 1); // the pipe may cut the last
      const first = records(whole).map((record) => record.event.productId);
      const rest = await runPix(['consume', '--from-beginning', '--exit', '--json', '--group', group, ...settings]);
      const next = records(rest.stdout).map((record) => record.event.productId);
      expect(next.length).toBeGreaterThan(0);
      expect(new Set([...first, ...next]).size).toBe(20_000);
    });
  }, 60_000);

  it('exits 1 naming the reason when its output cannot be written, with no stack trace', () => {
    const full = openSync('/dev/full', 'w');
    try {
      const run = spawnSync(process.execPath, [PIX_BIN, 'consume', '--from-beginning', '--exit', ...kafka()], {
        stdio: ['ignore', full, 'pipe'],
        env: pixEnv(),
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect({ code: run.status, stderr: run.stderr }).toEqual({
        code: 1,
        stderr: 'pix: error: cannot write the output (ENOSPC)\n',
      });
    } finally {
      closeSync(full);
    }
  });

  it('--since skips events written before that time', async () => {
    const boundary = new Date().toISOString();
    const later = await runPix(['publish', 'price', '--id', 'after-boundary', '--price', '1', ...kafka()]);
    expect(later.code).toBe(0);
    const { code, stdout } = await runPix(['consume', 'price', '--since', boundary, '--exit', '--json', ...kafka()]);
    expect(code).toBe(0);
    expect(records(stdout).map((record) => record.event.productId)).toEqual(['after-boundary']);
    const recent = await runPix(['consume', 'price', '--since', '1h', '--exit', '--json', ...kafka()]);
    expect(records(recent.stdout)).toHaveLength(31);
  });

  it('--idle-timeout exits 4 when nothing arrives', async () => {
    const { code, stderr, ms } = await runPix(['consume', '--idle-timeout', '1500ms', ...kafka()]);
    expect(code).toBe(4);
    expect(stderr).toBe('pix: error: no event arrived within 1.5s (--idle-timeout)\n');
    expect(ms).toBeGreaterThanOrEqual(1_500);
  });

  it('--strict exits 2 at a malformed message, which is otherwise skipped and counted', async () => {
    await withFreshTopics({ partitions: 1 }, async (fresh) => {
      const malformed = {
        type: 'discount',
        eventId: '6f1c1d3e-8a40-4d7c-9b7e-2f1a3c4d5e6f',
        productId: '1',
        occurredAt: '2026-11-25T10:00:00.000Z',
        origin: 'cloud',
        schemaVersion: 1,
        discount: 'lots',
      };
      await kcat(['-P', '-t', fresh.topics.of('discount'), '-k', '1'], `${JSON.stringify(malformed)}\n`);
      const lenient = await runPix([
        'consume',
        'discount',
        '--from-beginning',
        '--exit',
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect(lenient.code).toBe(0);
      expect(lenient.stderr).toBe(
        `skipped ${fresh.topics.of('discount')}[0]@0: discount: must be a number (got 'lots')\n0 events, 1 skipped\n`,
      );
      const strict = await runPix([
        'consume',
        'discount',
        '--from-beginning',
        '--exit',
        '--strict',
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect(strict.code).toBe(2);
      expect(strict.stderr).toContain(
        `pix: error: ${fresh.topics.of('discount')}[0]@0 is not a valid event: discount: must be a number (got 'lots')`,
      );
    });
  });

  it('exits 2 naming the topic when a topic it reads is deleted, after every event it read', async () => {
    await withFreshTopics({}, async ({ prefix, topics: mine }) => {
      const settings = [...brokerArg(), '--topic-prefix', prefix, '--timeout', '3s'];
      const reading = startPix(['consume', '--from-beginning', '--json', ...settings]);
      const published = await runPix(['publish', 'price', '--id', 'before-deletion', '--price', '1', ...settings]);
      expect(published.code).toBe(0);
      await reading.waitForStdout(/"productId":"before-deletion"/);

      await deleteTopics([mine.of('price')]);
      const { code, stdout, stderr } = await reading.finished;
      expect(code).toBe(2);
      expect(stderr).toContain(`pix: error: topic ${mine.of('price')} does not exist`);
      // Not a cluster that went away, and no warning of Node's about kafkajs restarting for ever.
      expect(stderr).not.toMatch(/lost the Kafka cluster|Warning/);
      expect(records(stdout).map(({ event }) => event.productId)).toEqual(['before-deletion']);
    });
  });

  it('round-trips: consume --json piped into publish --file - keeps key, headers and event', async () => {
    await withFreshTopics({}, async (fresh) => {
      await kcat(
        [
          ...['-P', '-t', topics.topics.of('country'), '-k', 'custom-key'],
          ...['event-type=country', 'schema-version=1', 'origin=cloud', 'trace-id=abc123'].flatMap((header) => [
            '-H',
            header,
          ]),
        ],
        JSON.stringify({
          type: 'country',
          eventId: '0b9f6d3a-1c2e-4f5a-8b7c-9d0e1f2a3b4c',
          productId: 'p9',
          occurredAt: '2026-11-25T09:00:00.000Z',
          origin: 'cloud',
          schemaVersion: 1,
          country: 'JP',
        }),
      );
      const original = await runPix(['consume', '--from-beginning', '--exit', '--json', ...kafka()]);
      const piped = await runPix(['publish', '--file', '-', ...brokerArg(), '--topic-prefix', fresh.prefix], {
        input: original.stdout,
      });
      expect(piped.code).toBe(0);
      const copied = await runPix([
        'consume',
        '--from-beginning',
        '--exit',
        '--json',
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      const comparable = (stdout: string) =>
        records(stdout)
          .map(({ key, headers, event }) => JSON.stringify({ key, headers: Object.entries(headers).sort(), event }))
          .sort();
      expect(comparable(copied.stdout)).toEqual(comparable(original.stdout));
      expect(comparable(copied.stdout).find((line) => line.includes('custom-key'))).toContain('["trace-id","abc123"]');
    });
  });
});
