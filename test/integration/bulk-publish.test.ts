import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, freshTopics, messageCount, withFreshTopics } from '../helpers/kafka.js';
import { badInputs, lineBytes } from '../helpers/bad-inputs.js';
import { kcat } from '../helpers/kcat.js';
import { waitFor } from '../helpers/dashboard.js';
import { ndjson, PIX_BIN, pixEnv, runPix, startPix, type Finished } from '../helpers/pix.js';
import { TmuxSession } from '../helpers/tmux.js';
import type { TopicNames } from '../../src/events/topics.js';
import { fileFolder } from '../helpers/temp.js';
import { hasUnsafeCharacters } from '../../src/printable.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';

const folder = fileFolder('bulk');

function ndjsonFile(name: string, lines: string[]): string {
  const path = join(folder, name);
  writeFileSync(path, `${lines.join('\n')}\n`);
  return path;
}

/** How many messages were ever written to these topics. */
async function messagesOn(topics: TopicNames): Promise<number> {
  const counts = await Promise.all(topics.list().map((topic) => messageCount(topic)));
  return counts.reduce((sum, count) => sum + count, 0);
}

/** Valid events of the three types in turn, for products 0..49. */
function validLines(count: number): string[] {
  return Array.from({ length: count }, (_, index) => {
    const productId = String(index % 50);
    if (index % 3 === 0) return JSON.stringify({ type: 'price', productId, price: index / 100 });
    if (index % 3 === 1) return JSON.stringify({ type: 'discount', productId, discount: index % 100 });
    return JSON.stringify({ type: 'country', productId, country: 'SE' });
  });
}

describe('pix publish --file', () => {
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());
  const kafka = () => [...brokerArg(), '--topic-prefix', topics.prefix];
  const total = () => messagesOn(topics.topics);

  it('publishes nothing when one line in the middle of 10,000 is invalid, and says which', async () => {
    const lines = validLines(10_000);
    lines[4_999] = '{"type":"price","productId":"7","price":-2}';
    const { code, stderr, stdout } = await runPix([
      'publish',
      '--file',
      ndjsonFile('one-bad.ndjson', lines),
      ...kafka(),
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('1 of 10000 lines is invalid, so nothing was published');
    expect(stderr).toContain('line 5000: price: must be ≥ 0 (got -2)');
    expect(await total()).toBe(0);
  });

  it('refuses every line of the corpus of bad lines, each with its reason, and publishes nothing', async () => {
    const corpus = badInputs.fileLines();
    const path = join(folder, 'corpus.ndjson');
    writeFileSync(path, Buffer.concat(corpus.flatMap((line) => [lineBytes(line), Buffer.from('\n')])));
    const strict = await runPix(['publish', '--file', path, ...kafka()]);
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(`${corpus.length} of ${corpus.length} lines are invalid, so nothing was published`);
    // --skip-invalid lists every invalid line, not only the first 20.
    const skipping = await runPix(['publish', '--file', path, '--skip-invalid', ...kafka()]);
    for (const [index, { name, rule }] of corpus.entries()) {
      const reported = skipping.stderr.split('\n').find((line) => line.startsWith(`line ${index + 1}: `));
      expect({ name, reported }).toEqual({ name, reported: `line ${index + 1}: ${rule}` });
    }
    expect(hasUnsafeCharacters(skipping.stderr.replaceAll('\n', ''))).toBe(false);
    expect(await total()).toBe(0);
  });

  it('lists the first 20 invalid lines and counts the rest', async () => {
    const lines = [
      ...validLines(10),
      ...Array.from({ length: 25 }, () => '{"type":"discount","productId":"1","discount":101}'),
    ];
    const { code, stderr } = await runPix(['publish', '--file', ndjsonFile('many-bad.ndjson', lines), ...kafka()]);
    expect(code).toBe(2);
    expect(stderr.match(/^line \d+: discount: must be a percentage from 0 to 100 \(got 101\)$/gm)).toHaveLength(20);
    expect(stderr).toContain('line 11: discount');
    expect(stderr).toContain('… and 5 more');
    expect(await total()).toBe(0);
  });

  it("keeps each batch under the broker's 1 MiB when every event goes to one partition", async () => {
    await withFreshTopics({ partitions: 1 }, async (fresh) => {
      // 30,000 events of about 250 bytes, all on one partition: 5,000 (or 30,000) would be 1.2 MB (7 MB).
      const lines = Array.from({ length: 30_000 }, (_, index) =>
        JSON.stringify({ type: 'discount', productId: `one-${index}`, discount: index % 100 }),
      );
      const file = ndjsonFile('one-partition.ndjson', lines);
      for (const batch of ['5000', '100000']) {
        const { code, stderr } = await runPix([
          'publish',
          '--file',
          file,
          '--batch-size',
          batch,
          ...brokerArg(),
          '--topic-prefix',
          fresh.prefix,
        ]);
        expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      }
      expect(await messageCount(fresh.topics.of('discount'))).toBe(60_000);
    });
  }, 60_000);

  it('refuses consume --json lines whose key or headers pass their limits, publishing nothing', async () => {
    await withFreshTopics({ partitions: 1 }, async (fresh) => {
      const event = (index: number) => ({ type: 'price', productId: `k-${index}`, price: index });
      // Three lines with 600 KB keys made a batch past the broker's 1 MiB: 1 of 3 was published.
      const oversized = [0, 1, 2].map((index) => JSON.stringify({ event: event(index), key: 'k'.repeat(600_000) }));
      const refused = await runPix([
        'publish',
        '--file',
        ndjsonFile('big-keys.ndjson', oversized),
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('3 of 3 lines are invalid, so nothing was published');
      expect(refused.stderr).toContain('line 1: key: must be at most 256 characters (got 600000)');
      // The widest valid lines, all to one partition: every one published, in batches under 1 MiB.
      const headers = Object.fromEntries(
        Array.from({ length: 32 }, (_, index) => [`${index}`.padEnd(64, 'h'), 'v'.repeat(1_024)]),
      );
      const widest = Array.from({ length: 100 }, (_, index) =>
        JSON.stringify({ event: event(index), key: 'k'.repeat(256), headers }),
      );
      const published = await runPix([
        'publish',
        '--file',
        ndjsonFile('widest.ndjson', widest),
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect({ code: published.code, stderr: published.stderr }).toEqual({ code: 0, stderr: '' });
      expect(await messageCount(fresh.topics.of('price'))).toBe(100);
    });
  }, 60_000);

  it('reports a line past 1 MiB as invalid without holding it, and goes on to the next', async () => {
    await withFreshTopics({}, async (fresh) => {
      // A whole JSON document on one line (3 MiB here) is the usual slip; the lines after it count on.
      const long = `[${Array.from({ length: 60_000 }, () => '{"type":"price","productId":"x","price":1}').join(',')}]`;
      const path = ndjsonFile('long-line.ndjson', [
        validLines(1)[0] ?? '',
        long,
        '{"type":"price","productId":"z","price":-1}',
      ]);
      const settings = [...brokerArg(), '--topic-prefix', fresh.prefix];
      const strict = await runPix(['publish', '--file', path, ...settings]);
      expect(strict.code).toBe(2);
      expect(strict.stderr).toContain('2 of 3 lines are invalid, so nothing was published');
      expect(strict.stderr).toContain('line 2: (line): is longer than 1 MiB: pix reads NDJSON, one event a line');
      expect(strict.stderr).toContain('line 3: price: must be ≥ 0 (got -1)');
      const skipping = await runPix(['publish', '--file', '-', '--skip-invalid', ...settings], {
        input: readFileSync(path, 'utf8'),
      });
      expect(skipping.code).toBe(0);
      expect(skipping.stderr).toContain('line 2: (line): is longer than 1 MiB');
      expect(await messageCount(fresh.topics.of('price'))).toBe(1);
    });
  });

  it('reads a file saved with a byte order mark and CRLF lines, and says which file it cannot read and why', async () => {
    await withFreshTopics({}, async (fresh) => {
      const settings = [...brokerArg(), '--topic-prefix', fresh.prefix];
      const saved = join(folder, 'windows.ndjson');
      writeFileSync(saved, `\uFEFF${validLines(2).join('\r\n')}\r\n`);
      const published = await runPix(['publish', '--file', saved, ...settings]);
      expect({ code: published.code, stderr: published.stderr }).toEqual({ code: 0, stderr: '' });
      expect(published.stdout).toMatch(/^published 2 events .*; 0 invalid$/m);
      expect(await messageCount(fresh.topics.of('price'))).toBe(1);
      expect(await messageCount(fresh.topics.of('discount'))).toBe(1);

      const missing = join(folder, 'missing.ndjson');
      expect(await runPix(['publish', '--file', missing, ...settings])).toMatchObject({
        code: 2,
        stderr: `pix: error: file: cannot read ${missing}: no such file (ENOENT)\n`,
      });
      expect(await runPix(['publish', '--file', folder, ...settings])).toMatchObject({
        code: 2,
        stderr: `pix: error: file: cannot read ${folder}: it is a folder (EISDIR)\n`,
      });
    });
  });

  it('publishes 10,000 events that kcat can read, printing only the summary when stdout is not a terminal', async () => {
    const { code, stdout, stderr } = await runPix([
      'publish',
      '--file',
      ndjsonFile('valid.ndjson', validLines(10_000)),
      ...kafka(),
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const names = topics.topics;
    expect(stdout).toMatch(
      new RegExp(
        `^published 10000 events in [\\d.]+s \\(\\d+ events/s\\): ${names.of('price')} 3334, ${names.of('discount')} 3333, ${names.of('country')} 3333; 0 invalid\\n$`.replaceAll(
          '.product',
          '\\.product',
        ),
      ),
    );
    let read = 0;
    for (const topic of names.list()) {
      const { stdout: values } = await kcat(['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%s\n']);
      const events = ndjson<{ type: string }>(values);
      expect(new Set(events.map((event) => event.type))).toEqual(new Set([names.typeOf(topic)]));
      read += events.length;
    }
    expect(read).toBe(10_000);
  });

  it('reads stdin, publishes the valid lines with --skip-invalid and reports the others', async () => {
    await withFreshTopics({}, async (fresh) => {
      const input = [
        '{"event_type":"product-price-update","data":{"product_id":1,"price":10.0}}',
        '{"event_type":"country-update","data":{"product_id":1,"country":"us"}}',
        'oops',
        '{"type":"discount","productId":"2","discount":15}',
        '{"type":"price","productId":"3","price":1,"curency":"EUR"}',
      ].join('\n');
      const { code, stdout, stderr } = await runPix(
        ['publish', '--file', '-', '--skip-invalid', '--json', ...brokerArg(), '--topic-prefix', fresh.prefix],
        { input },
      );
      expect(code).toBe(0);
      expect(stderr).toBe('line 3: (line): is not valid JSON\nline 5: curency: is not a known field\n');
      expect(JSON.parse(stdout)).toMatchObject({
        published: 3,
        invalid: 2,
        byTopic: { [fresh.topics.of('price')]: 1, [fresh.topics.of('discount')]: 1, [fresh.topics.of('country')]: 1 },
      });
      const consumed = await runPix([
        'consume',
        'country',
        '--from-beginning',
        '--exit',
        '--json',
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect(JSON.parse(consumed.stdout)).toMatchObject({ key: '1', event: { productId: '1', country: 'US' } });
    });
  });

  it('keeps each product in order: 1,000 interleaved updates of 50 products over 3 partitions', async () => {
    await withFreshTopics({ partitions: 3 }, async (fresh) => {
      const lines = Array.from({ length: 1_000 }, (_, index) =>
        JSON.stringify({ type: 'price', productId: `p${index % 50}`, price: Math.floor(index / 50) }),
      );
      const published = await runPix([
        'publish',
        '--file',
        ndjsonFile('order.ndjson', lines),
        '--batch-size',
        '64',
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect(published.code).toBe(0);
      const consumed = await runPix([
        'consume',
        'price',
        '--from-beginning',
        '--exit',
        '--json',
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      const records = ndjson<{ partition: number; event: { productId: string; price: number } }>(consumed.stdout);
      expect(records).toHaveLength(1_000);
      expect(new Set(records.map((record) => record.partition)).size).toBe(3);
      const sequences = new Map<string, number[]>();
      for (const { event } of records)
        sequences.set(event.productId, [...(sequences.get(event.productId) ?? []), event.price]);
      expect(sequences.size).toBe(50);
      for (const prices of sequences.values()) expect(prices).toEqual(Array.from({ length: 20 }, (_, index) => index));
    });
  });

  it('shares a file of 250,000 lines among worker threads: line numbers, order and counts hold', async () => {
    await withFreshTopics({}, async (fresh) => {
      // Big enough (about 12 MB) for pix to validate and encode on worker threads, in chunks of
      // 64 KB: the bad line's number must be counted across chunks, blank lines included.
      const lines = validLines(250_000);
      lines[100_000] = '';
      lines[249_990] = '{"type":"country","productId":"3","country":"XX"}';
      const file = ndjsonFile('big.ndjson', lines);
      const args = ['publish', '--file', file, ...brokerArg(), '--topic-prefix', fresh.prefix];

      const refused = await runPix(args);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toContain('1 of 249999 lines is invalid, so nothing was published');
      expect(refused.stderr).toContain('line 249991: country: must be an ISO 3166-1 alpha-2 country code');

      const skipped = await runPix([...args, '--skip-invalid'], { killAfterMs: 90_000 });
      expect(skipped.code).toBe(0);
      expect(skipped.stderr).toMatch(/^line 249991: country: /);
      expect(skipped.stdout).toMatch(/^published 249998 events .*; 1 invalid$/m);

      const consumed = await runPix(
        ['consume', 'price', '--from-beginning', '--exit', '--json', ...brokerArg(), '--topic-prefix', fresh.prefix],
        { killAfterMs: 90_000 },
      );
      const prices = ndjson<{ event: { productId: string; price: number } }>(consumed.stdout);
      expect(prices).toHaveLength(83_333);
      const lastOf = new Map<string, number>();
      for (const { event } of prices) {
        expect(event.price).toBeGreaterThan(lastOf.get(event.productId) ?? -1);
        lastOf.set(event.productId, event.price);
      }
    });
  }, 120_000);

  it('keeps what a big all-or-nothing stdin validated in a temporary file, sends it all in order, and removes it', async () => {
    await withFreshTopics({}, async (fresh) => {
      // About 40 MB once encoded: past what pix keeps in memory between validating and sending.
      const lines = validLines(150_000);
      const spoolFolder = mkdtempSync(join(folder, 'tmp-'));
      const published = await runPix(['publish', '--file', '-', ...brokerArg(), '--topic-prefix', fresh.prefix], {
        input: `${lines.join('\n')}\n`,
        env: { TMPDIR: spoolFolder },
        killAfterMs: 90_000,
      });
      expect(published.stderr).toBe('');
      expect(published.stdout).toMatch(/^published 150000 events .*; 0 invalid$/m);
      expect(readdirSync(spoolFolder)).toEqual([]);

      const consumed = await runPix(
        ['consume', 'price', '--from-beginning', '--exit', '--json', ...brokerArg(), '--topic-prefix', fresh.prefix],
        { killAfterMs: 90_000 },
      );
      const prices = ndjson<{ event: { productId: string; price: number } }>(consumed.stdout);
      expect(prices.map(({ event }) => event.price)).toHaveLength(50_000);
      const inputPrices = new Map<string, number[]>();
      for (let index = 0; index < lines.length; index += 3) {
        const productId = String(index % 50);
        inputPrices.set(productId, [...(inputPrices.get(productId) ?? []), index / 100]);
      }
      const sentPrices = new Map<string, number[]>();
      for (const { event } of prices)
        sentPrices.set(event.productId, [...(sentPrices.get(event.productId) ?? []), event.price]);
      expect(sentPrices).toEqual(inputPrices);
    });
  }, 120_000);

  it('sends what a live stdin gives at once, without waiting for a full batch or the end', async () => {
    await withFreshTopics({}, async (fresh) => {
      const args = ['publish', '--file', '-', '--skip-invalid', ...brokerArg(), '--topic-prefix', fresh.prefix];
      const publishing = startPix(args, { openStdin: true });
      publishing.child.stdin.write(`${validLines(3).join('\n')}\n`);
      await waitFor('the three events on their topics while stdin is still open', async () => {
        // Offsets of topics made a moment ago may not be served yet: ask again.
        const counts = await Promise.all(fresh.topics.list().map((topic) => messageCount(topic))).catch(() => []);
        return counts.reduce((sum, count) => sum + count, 0) === 3 ? true : undefined;
      });
      expect(publishing.child.exitCode).toBeNull();
      publishing.child.stdin.end();
      const finished = await publishing.finished;
      expect(finished.code).toBe(0);
      expect(finished.stdout).toMatch(/^published 3 events/);
    });
  });

  it('exits 2 and publishes nothing when its temporary file cannot grow, as on a full disk', async () => {
    await withFreshTopics({}, async (fresh) => {
      const spoolFolder = mkdtempSync(join(folder, 'tmp-'));
      const file = ndjsonFile('limited.ndjson', validLines(150_000));
      // ulimit -f caps every file the process writes, here at 10 MB: past it, writes fail as on a full disk.
      const args = ['publish', '--file', file, ...brokerArg(), '--topic-prefix', fresh.prefix];
      const limited = spawnSync('sh', ['-c', 'ulimit -f 20480; exec "$0" "$@"', process.execPath, PIX_BIN, ...args], {
        env: pixEnv({ TMPDIR: spoolFolder }),
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(limited.status).toBe(2);
      expect(limited.stderr).toMatch(
        /^pix: error: cannot keep the validated events in a temporary file \((EFBIG|ENOSPC)\), so nothing was published \(.*--skip-invalid/,
      );
      await expectNothingLeft(fresh.topics, spoolFolder);
    });
  }, 90_000);

  // A plain command line takes the fast path, without oclif (cli/fast-path.ts); PIX_FAST_PATH=off runs the oclif command.
  it.each([
    ['SIGINT', 'started without oclif', undefined, 130],
    ['SIGINT', 'run by oclif', 'off', 130],
    ['SIGTERM', 'started without oclif', undefined, 143],
    ['SIGTERM', 'run by oclif', 'off', 143],
    ['SIGHUP', 'started without oclif', undefined, 129],
    ['SIGHUP', 'run by oclif', 'off', 129],
  ] as const)(
    'stopped by %s with a live stdin, prints what was published and what stopped it, without waiting for input (%s)',
    async (signal, _, fastPath, exitCode) => {
      await withFreshTopics({}, async (fresh) => {
        const args = ['publish', '--file', '-', '--skip-invalid', ...brokerArg(), '--topic-prefix', fresh.prefix];
        // Three events a run: 3 on the topics after the first, 6 after the second.
        const publish = async (json: boolean, onTopics: number): Promise<Finished> => {
          const publishing = startPix([...args, ...(json ? ['--json'] : [])], {
            openStdin: true,
            killAfterMs: 30_000,
            env: { PIX_FAST_PATH: fastPath },
          });
          publishing.child.stdin.write(`${validLines(3).join('\n')}\n`);
          await waitFor('the three events on their topics', async () =>
            (await messagesOn(fresh.topics).catch(() => 0)) === onTopics ? true : undefined,
          );
          publishing.child.kill(signal); // stdin stays open: pix must not wait for it
          return publishing.finished;
        };
        const text = await publish(false, 3);
        expect(text.code).toBe(exitCode);
        expect(text.stdout).toMatch(new RegExp(`^published 3 events .*; 0 invalid; stopped by ${signal}$`, 'm'));
        const json = await publish(true, 6);
        expect(json.code).toBe(exitCode);
        expect(JSON.parse(json.stdout)).toMatchObject({ published: 3, invalid: 0, stoppedBy: signal });
      });
    },
    60_000,
  );

  it.each([
    ['Ctrl-C', 'SIGINT', 130],
    ['SIGTERM', 'SIGTERM', 143],
    ['SIGHUP (the terminal closed)', 'SIGHUP', 129],
  ] as const)(
    'on %s before an all-or-nothing stdin ends, publishes nothing and removes its temporary file',
    async (_, signal, exitCode) => {
      await withFreshTopics({}, async (fresh) => {
        const spoolFolder = mkdtempSync(join(folder, 'tmp-'));
        const args = ['publish', '--file', '-', ...brokerArg(), '--topic-prefix', fresh.prefix];
        const publishing = startPix(args, { openStdin: true, env: { TMPDIR: spoolFolder }, killAfterMs: 60_000 });
        publishing.child.stdin.on('error', () => undefined); // pix stops reading: the rest is refused (EPIPE)
        publishing.child.stdin.write(`${validLines(150_000).join('\n')}\n`);
        await waitFor('the validated events to reach the temporary file', () =>
          readdirSync(spoolFolder).length > 0 ? true : undefined,
        );
        publishing.child.kill(signal);
        const finished = await publishing.finished;
        expect(finished.code).toBe(exitCode);
        expect(finished.stdout).toBe('');
        await expectNothingLeft(fresh.topics, spoolFolder);
      });
    },
    90_000,
  );

  it('stops on a signal while a FIFO has no writer, or /dev/zero pours in, and refuses an endless line', async () => {
    const fifo = join(folder, 'events.fifo');
    execFileSync('mkfifo', [fifo]);
    const started = (input: string) =>
      startPix(['publish', '--file', input, ...kafka()], { killAfterMs: DEFAULT_TIMEOUT_MS, openStdin: true });
    for (const input of [fifo, '/dev/zero']) {
      const publishing = started(input);
      // Running, and reading: its stop handlers are set before the input is opened.
      await waitFor(`pix to set its stop handlers while reading ${input}`, () =>
        catchesStopSignals(publishing.child.pid ?? 0) ? true : undefined,
      );
      publishing.child.kill('SIGTERM');
      const finished = await publishing.finished;
      expect({ input, code: finished.code, stdout: finished.stdout }).toEqual({ input, code: 143, stdout: '' });
    }
    // Not stopped, /dev/zero is one line with no end: refused once past the limit, nothing published.
    const endless = await runPix(['publish', '--file', '/dev/zero', ...kafka()], { killAfterMs: 60_000 });
    expect(endless.code).toBe(2);
    expect(endless.stderr).toContain('/dev/zero has a line with no end in its first 64 MiB');
    // A FIFO with a writer is read to its end.
    const writer = startPix(['publish', '--file', fifo, ...kafka(), '--json'], { killAfterMs: 30_000 });
    writeFileSync(fifo, '{"type":"price","productId":"from-fifo","price":1}\n');
    const written = await writer.finished;
    expect(written.code).toBe(0);
    expect(JSON.parse(written.stdout)).toMatchObject({ published: 1 });
  }, 120_000);

  it('refuses a config file that is a device, rather than read it for ever', async () => {
    const { code, stderr } = await runPix(
      ['publish', '--file', '/dev/null', '--config-file', '/dev/zero', ...kafka()],
      {
        killAfterMs: DEFAULT_TIMEOUT_MS,
      },
    );
    expect(code).toBe(2);
    expect(stderr).toContain('config: /dev/zero is not a regular file');
  });

  it('from a terminal as stdin, says what it reads and how to end, and publishes what was typed on Ctrl-D', async () => {
    await withFreshTopics({}, async (fresh) => {
      const work = mkdtempSync(join(folder, 'typed-'));
      const env = `NODE_ENV=production NO_COLOR=1 PIX_BROKERS=${brokerArg()[1]} PIX_TOPIC_PREFIX=${fresh.prefix}`;
      const session = new TmuxSession(
        `pix-typed-${process.pid}`,
        `${env} node ${PIX_BIN} publish --file -; echo "exit=$?" > ${work}/exit; sleep 30`,
      );
      try {
        await session.waitFor(/reading events from the terminal, one JSON object a line; Ctrl-D ends, Ctrl-C stops/);
        session.sendKeys('{"type":"price","productId":"typed","price":4.5}', 'Enter');
        session.sendKeys('C-d');
        await session.waitFor(/published 1 event in/);
        await expect.poll(() => readIfThere(join(work, 'exit')), { timeout: DEFAULT_TIMEOUT_MS }).toBe('exit=0\n');
        expect(await messageCount(fresh.topics.of('price'))).toBe(1);
      } finally {
        session.kill();
      }
    });
  });

  it('on a terminal, shows the lines validated while stdin is still open, and clears them for the summary', async () => {
    await withFreshTopics({}, async (fresh) => {
      const work = mkdtempSync(join(folder, 'tty-'));
      const input = ndjsonFile('tty.ndjson', validLines(20_000));
      const env = `NODE_ENV=production NO_COLOR=1 PIX_BROKERS=${brokerArg()[1]} PIX_TOPIC_PREFIX=${fresh.prefix}`;
      // stdin stays open until the test creates the file `go`: the first pass cannot end before.
      const feed = `{ cat ${input}; while [ ! -e ${work}/go ]; do sleep 0.05; done; }`;
      const session = new TmuxSession(
        `pix-bulk-${process.pid}`,
        `${feed} | ${env} node ${PIX_BIN} publish --file -; echo "exit=$?" > ${work}/exit; sleep 30`,
      );
      try {
        await session.waitFor(/validating 20,000 lines {2}[\d,]+ lines\/s {2}\d+\.\ds/, 20_000);
        expect(await messageCount(fresh.topics.list()[0] ?? '')).toBe(0);
        writeFileSync(join(work, 'go'), '');
        const screen = await session.waitFor(/published 20000 events in/, 20_000);
        expect(screen).not.toMatch(/lines\/s {2}\d+\.\ds/); // the progress line is cleared
        await expect.poll(() => readIfThere(join(work, 'exit')), { timeout: DEFAULT_TIMEOUT_MS }).toBe('exit=0\n');
      } finally {
        session.kill();
      }
    });
  }, 60_000);

  it('exits 3 when the broker refuses a batch, saying how many events were acknowledged, and writes the one refused to --unconfirmed-file', async () => {
    await withFreshTopics({ configs: { 'max.message.bytes': '600' } }, async (fresh) => {
      // Each small event fits the topic's 600-byte limit on its own; the last, with the longest id and
      // origin the event model allows, does not.
      const big = { type: 'price', productId: 'x'.repeat(256), price: 1, origin: 'o'.repeat(64) };
      const lines = [...validLines(50), JSON.stringify(big)];
      const unconfirmedFile = join(folder, 'unconfirmed.ndjson');
      const { code, stderr } = await runPix([
        'publish',
        '--file',
        ndjsonFile('too-large.ndjson', lines),
        '--batch-size',
        '1',
        '--unconfirmed-file',
        unconfirmedFile,
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect(code).toBe(3);
      expect(stderr).toContain('MESSAGE_TOO_LARGE');
      expect(stderr).toContain(`50 events acknowledged, 1 not published; their events`);
      expect(stderr).toContain(unconfirmedFile);
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      // Refused by the broker: surely not on the topic, and the file says so, with the event as sent.
      expect(ndjson(readFileSync(unconfirmedFile, 'utf8'))).toEqual([
        {
          status: 'not-published',
          key: big.productId,
          headers: {},
          event: expect.objectContaining({
            type: 'price',
            productId: big.productId,
            origin: big.origin,
            price: 1,
          }) as unknown,
        },
      ]);
    });
  });
});

/**
 * Whether pix has set its stop handlers: SIGHUP (signal 1, bit 0 of SigCgt in /proc), which only
 * pix's own catch, besides SIGINT and SIGTERM, which a library may catch before.
 */
function catchesStopSignals(pid: number): boolean {
  const mask = /^SigCgt:\s+([0-9a-f]+)$/m.exec(readIfThere(`/proc/${pid}/status`) ?? '')?.[1];
  const bits = mask === undefined ? 0n : BigInt(`0x${mask}`);
  return [0n, 1n, 14n].every((bit) => ((bits >> bit) & 1n) === 1n);
}

function readIfThere(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined; // not written yet
  }
}

/** What a refused or stopped all-or-nothing publish leaves: no temporary file, no event on any topic. */
async function expectNothingLeft(topics: TopicNames, spoolFolder: string): Promise<void> {
  expect(readdirSync(spoolFolder)).toEqual([]);
  const counts = await Promise.all(topics.list().map((topic) => messageCount(topic)));
  expect(counts).toEqual([0, 0, 0]);
}
