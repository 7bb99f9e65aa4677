import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, freshTopics } from '../helpers/kafka.js';
import { badInputs, messageBytes } from '../helpers/bad-inputs.js';
import { kcat } from '../helpers/kcat.js';
import { ndjson, runPix } from '../helpers/pix.js';
import { hasUnsafeCharacters } from '../../src/printable.js';

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

  it('kcat reads the records of a file publish as written: a key beyond ASCII, an empty header value', async () => {
    const topic = topics.topics.of('discount');
    const lines = [
      { event: { type: 'discount', productId: 'ü-ключ', discount: 5 }, key: 'ü-ключ', headers: { empty: '' } },
      { event: { type: 'discount', productId: 'plain', discount: 6 }, headers: { note: 'x'.repeat(300) } },
    ];
    const published = await runPix(['publish', '--file', '-', ...kafka()], {
      input: `${lines.map((line) => JSON.stringify(line)).join('\n')}\n`,
    });
    expect(published.code).toBe(0);
    const read = await kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k|%h\n']);
    const records = read.stdout
      .trimEnd()
      .split('\n')
      .map((line) => {
        const [key = '', headers = ''] = line.split('|');
        return {
          key,
          headers: headers.split(',').filter((header) => !/^(event-type|schema-version|origin)=/.test(header)),
        };
      })
      .sort((a, b) => a.key.localeCompare(b.key));
    expect(records).toEqual([
      { key: 'plain', headers: [`note=${'x'.repeat(300)}`] },
      { key: 'ü-ключ', headers: ['empty='] },
    ]);
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

  /** Anything that could act on a terminal, the line breaks that separate pix's own lines apart. */
  const unsafe = (output: string): boolean => hasUnsafeCharacters(output.replaceAll('\n', ''));

  it('shows nothing from a message to a terminal raw: every sequence of the corpus, in every field', async () => {
    const topic = topics.topics.of('price');
    const sequences = badInputs.terminalSequences();
    // Per sequence, on one partition: as the key and a header of a valid message, as a product id,
    // as a price, and as the origin header of the original system's shape.
    // A process argument cannot hold NUL: kcat gets no header for that one.
    const header = (name: string, text: string): string[] => (text.includes('\u0000') ? [] : ['-H', `${name}=${text}`]);
    for (const [index, { text }] of sequences.entries()) {
      const messages = [
        `${text}@@{"product_id": "ok-${index}", "price": 1}`,
        `k@@${JSON.stringify({ product_id: text, price: 1 })}`,
        `k@@${JSON.stringify({ product_id: `p-${index}`, price: text })}`,
      ];
      const produced = await kcat(
        ['-P', '-t', topic, '-p', '1', '-K', '@@', '-D', '##', ...header('x-note', text)],
        `${messages.join('##')}##`,
      );
      const origin = header('origin', text);
      const withOrigin =
        origin.length > 0
          ? await kcat(['-P', '-t', topic, '-p', '1', ...origin], '{"product_id": "o", "price": 1}\n')
          : produced;
      expect([produced.code, withOrigin.code]).toEqual([0, 0]);
    }
    // A 900 KB value that is no event, and a valid event after all of it.
    const tail = [
      `{"product_id": "p2", "price": "${'x'.repeat(900_000)}"}`,
      '{"product_id": "after-hostile", "price": 2}',
    ];
    expect((await kcat(['-P', '-t', topic, '-p', '1', '-k', 'h'], `${tail.join('\n')}\n`)).code).toBe(0);

    for (const format of [[], ['--format', '{key} {productId} {origin} {change}']]) {
      const consumed = await runPix(['consume', 'price', '--from-beginning', '--exit', ...format, ...kafka()], {
        env: { FORCE_COLOR: '0' },
      });
      expect(consumed.code).toBe(0);
      expect(unsafe(consumed.stdout)).toBe(false);
      expect(unsafe(consumed.stderr)).toBe(false);
      const skipped = consumed.stderr.split('\n').filter((line) => line.startsWith(`skipped ${topic}[1]@`));
      const originless = sequences.filter(({ text }) => text.includes('\u0000')).length;
      expect(skipped).toHaveLength(sequences.length * 3 - originless + 1);
      for (const line of skipped) expect(line.length).toBeLessThan(300);
      expect(consumed.stdout.split('\n').filter((line) => / ok-\d+ /.test(` ${line} `))).toHaveLength(sequences.length);
      expect(consumed.stderr).toContain(`(got '${'x'.repeat(80)}… (900000 characters)')`);
      expect(consumed.stdout).toMatch(/after-hostile/);
    }
    const osc = String.raw`\u001b]0;PWNED-TITLE\u0007`;
    const human = await runPix(['consume', 'price', '--from-beginning', '--exit', ...kafka()]);
    expect(human.stderr).toContain(
      `productId: must not contain control, bidirectional or zero-width characters (got '${osc}')`,
    );
    expect(human.stderr).toContain(`price: must be a number (got '${osc}')`);
    expect(human.stderr).toContain(`origin: must be a site name such as on-prem or cloud`);

    // --json stays exact JSON: the key and header come back as they were written.
    const json = await runPix(['consume', 'price', '--from-beginning', '--exit', '--json', ...kafka()]);
    const records = ndjson<{ key: string; headers: Record<string, string>; event: { productId: string } }>(json.stdout);
    for (const [index, { text }] of sequences.entries()) {
      const record = records.find((candidate) => candidate.event.productId === `ok-${index}`);
      expect(record).toMatchObject({ key: text, ...(text.includes('\u0000') ? {} : { headers: { 'x-note': text } }) });
    }
  });

  it('skips every poison message of the corpus with its reason, and reads on', async () => {
    const topic = topics.topics.of('price');
    const poison = badInputs.poisonMessages();
    const values = [...poison.map(messageBytes), Buffer.from('{"product_id": "after-poison", "price": 5}')];
    const produced = await kcat(
      ['-P', '-t', topic, '-p', '2', '-D', '##'],
      Buffer.concat(values.flatMap((value) => [value, Buffer.from('##')])),
    );
    expect(produced.code).toBe(0);
    const consumed = await runPix(['consume', 'price', '--from-beginning', '--exit', ...kafka()]);
    expect(consumed.code).toBe(0);
    expect(consumed.stdout).toMatch(/after-poison/);
    const skipped = consumed.stderr.split('\n').filter((line) => line.startsWith(`skipped ${topic}[2]@`));
    expect(skipped).toHaveLength(poison.length);
    for (const [offset, { name, rule }] of poison.entries()) {
      const line = skipped.find((candidate) => candidate.startsWith(`skipped ${topic}[2]@${offset}: `));
      expect({ name, holdsRule: line?.includes(rule) }).toEqual({ name, holdsRule: true });
    }
  });
});
