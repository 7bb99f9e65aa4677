import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, freshTopics } from '../helpers/kafka.js';
import { kcat } from '../helpers/kcat.js';
import { ndjson, runPix } from '../helpers/pix.js';

describe('pix and kcat read each other', () => {
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());

  const kafka = () => [...brokerArg(), '--topic-prefix', topics.prefix];

  it('kcat reads what pix published: key, headers and the JSON event', async () => {
    const published = await runPix([
      'publish',
      'price',
      '--id',
      '4711',
      '--price',
      '3.5',
      '--origin',
      'on-prem',
      '--json',
      ...kafka(),
    ]);
    expect(published.code).toBe(0);
    const sent = JSON.parse(published.stdout) as { partition: number; offset: string; event: unknown };

    const read = await kcat([
      '-C',
      '-t',
      topics.topics.of('price'),
      '-o',
      'beginning',
      '-e',
      '-q',
      '-f',
      '%p|%o|%k|%h|%s\n',
    ]);
    expect(read.code).toBe(0);
    const [partition, offset, key, headers, value] = read.stdout.trimEnd().split('|');
    expect(Number(partition)).toBe(sent.partition);
    expect(offset).toBe(sent.offset);
    expect(key).toBe('4711');
    expect(headers?.split(',').sort()).toEqual(['event-type=price', 'origin=on-prem', 'schema-version=1']);
    expect(JSON.parse(value ?? '')).toEqual(sent.event);
  });

  it('pix reads an event in its own shape that kcat produced', async () => {
    const event = {
      type: 'country',
      eventId: '0b9f6d3a-1c2e-4f5a-8b7c-9d0e1f2a3b4c',
      productId: 'from-kcat',
      occurredAt: '2026-11-25T09:00:00.000Z',
      origin: 'cloud',
      schemaVersion: 1,
      country: 'NL',
    };
    const produced = await kcat(
      ['-P', '-t', topics.topics.of('country'), '-k', 'from-kcat', '-H', 'origin=cloud'],
      JSON.stringify(event),
    );
    expect(produced.code).toBe(0);

    const consumed = await runPix(['consume', 'country', '--from-beginning', '-n', '1', '--json', ...kafka()]);
    expect(consumed.code).toBe(0);
    expect(JSON.parse(consumed.stdout)).toMatchObject({ key: 'from-kcat', headers: { origin: 'cloud' }, event });
  });

  it("pix reads the original system's bare data object, and skips what is not an event without stopping", async () => {
    const lines = ['not json at all', '{"product_id": 123, "price": -4}', '{"product_id": 123, "price": 10.0}'].join(
      '\n',
    );
    const produced = await kcat(['-P', '-t', topics.topics.of('price'), '-p', '0', '-k', '123'], `${lines}\n`);
    expect(produced.code).toBe(0);

    const consumed = await runPix(['consume', 'price', '--from-beginning', '-n', '2', '--json', ...kafka()]);
    expect(consumed.code).toBe(0);
    const events = ndjson<{ event: { productId: string } }>(consumed.stdout).map((record) => record.event);
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'price',
        productId: '123',
        price: 10,
        currency: 'USD',
        origin: 'legacy',
        schemaVersion: 1,
      }),
    );
    const topic = topics.topics.of('price');
    expect(consumed.stderr).toContain(`skipped ${topic}[0]@`);
    expect(consumed.stderr).toMatch(
      new RegExp(`skipped ${topic.replaceAll('.', '\\.')}\\[0\\]@\\d+: \\(message\\): is not valid JSON`),
    );
    expect(consumed.stderr).toMatch(/skipped .*: price: must be ≥ 0 \(got -4\)/);
    expect(consumed.stderr).toMatch(/2 events, 2 skipped/);
  });

  it('shows nothing from a message to a terminal raw: control, bidi and zero-width characters escaped, long values cut', async () => {
    const hostile = [
      String.raw`{"product_id": "\u001b]0;PWNED-TITLE\u0007\u001b[2J\u001b[31mFAKE", "price": 1}`,
      String.raw`{"product_id": "p1", "price": "\u001b]0;PWNED\u0007\u001b[2J\u009b1m\u007f"}`,
      String.raw`{"product_id": "bidi\u202eevil", "price": 1}`,
      String.raw`{"product_id": "zero\u200bwidth", "price": 1}`,
      `{"product_id": "p2", "price": "${'x'.repeat(900_000)}"}`,
      '{"product_id": "after-hostile", "price": 2}',
    ];
    const topic = topics.topics.of('price');
    const produced = await kcat(['-P', '-t', topic, '-p', '1', '-k', 'h'], `${hostile.join('\n')}\n`);
    expect(produced.code).toBe(0);

    const consumed = await runPix(['consume', 'price', '--from-beginning', '--exit', ...kafka()], {
      env: { FORCE_COLOR: '0' },
    });
    expect(consumed.code).toBe(0);
    // eslint-disable-next-line no-control-regex -- control characters are what must not appear
    const unsafe = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
    expect(consumed.stdout).not.toMatch(unsafe);
    expect(consumed.stderr).not.toMatch(unsafe);
    expect(consumed.stdout).toMatch(/ price +after-hostile +2\.00 USD$/m);
    const skipped = consumed.stderr.split('\n').filter((line) => line.startsWith(`skipped ${topic}[1]@`));
    expect(skipped).toHaveLength(5);
    for (const line of skipped) expect(line.length).toBeLessThan(300);
    expect(consumed.stderr).toContain(
      String.raw`productId: must not contain control, bidirectional or zero-width characters (got '\u001b]0;PWNED-TITLE\u0007\u001b[2J\u001b[31mFAKE')`,
    );
    expect(consumed.stderr).toContain(String.raw`(got '\u001b]0;PWNED\u0007\u001b[2J\u009b1m\u007f')`);
    expect(consumed.stderr).toContain(String.raw`(got 'bidi\u202eevil')`);
    expect(consumed.stderr).toContain(String.raw`(got 'zero\u200bwidth')`);
    expect(consumed.stderr).toContain(`(got '${'x'.repeat(80)}… (900000 characters)')`);
  });
});
