import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, freshTopics, messageCount } from '../helpers/kafka.js';
import { badInputs, corpusText } from '../helpers/bad-inputs.js';
import { inBatches, PIX_BIN, pixEnv, runPix, type Finished } from '../helpers/pix.js';
import { hasUnsafeCharacters } from '../../src/printable.js';
import { testFolder } from '../helpers/temp.js';

interface ManifestFlagHelp {
  summary?: string;
  description?: string;
  default?: unknown;
  env?: string;
}

const manifest = JSON.parse(readFileSync(new URL('../../oclif.manifest.json', import.meta.url), 'utf8')) as {
  commands: Record<string, { summary?: string; hidden?: boolean; flags: Record<string, ManifestFlagHelp> }>;
};

describe('pix as a program', () => {
  it('lists every command with its one-line summary in --help, and the exit codes', async () => {
    const { code, stdout } = await runPix(['--help']);
    expect(code).toBe(0);
    const ids = Object.keys(manifest.commands);
    expect(ids).toEqual(
      expect.arrayContaining([
        'publish:price',
        'publish:discount',
        'publish:country',
        'consume',
        'topics:create',
        'topics:list',
        'local:start',
        'local:stop',
        'local:status',
      ]),
    );
    const flat = stdout.replace(/\s+/g, ' ');
    for (const [id, { summary }] of Object.entries(manifest.commands)) {
      expect(flat).toContain(`${id.replaceAll(':', ' ')} ${summary ?? ''}`.replace(/\s+/g, ' ').trim());
    }
    expect(stdout).toMatch(/EXIT CODES[\s\S]*\b3 +no broker answered/);
  });

  it('runs as `npx pix` in the project after npm ci', async () => {
    const result = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = spawn('npx', ['--no-install', 'pix', '--help'], {
        env: pixEnv(),
        cwd: new URL('../..', import.meta.url),
      });
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.on('close', (code) => resolve({ code, stdout }));
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('publish price');
    expect(result.stdout).toContain('local start');
  });

  it('warns when a config file that holds a password can be read by others', async () => {
    const path = join(testFolder('config'), 'config.json');
    writeFileSync(path, JSON.stringify({ saslMechanism: 'plain', saslUsername: 'pix', saslPassword: 'S3cretPW' }));
    chmodSync(path, 0o644);
    const open = await runPix(['local', 'status', '--port', '1', '--config-file', path]);
    expect(open.stderr).toBe(
      `pix: warning: ${path} holds a password and others can read it (mode 644): chmod 600 ${path}\n`,
    );
    chmodSync(path, 0o600);
    const closed = await runPix(['local', 'status', '--port', '1', '--config-file', path]);
    expect(closed.stderr).toBe('');
  });

  it('prints its version', async () => {
    const { code, stdout } = await runPix(['--version']);
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    expect(code).toBe(0);
    expect(stdout).toContain(`pix/${version}`);
  });

  it('teaches each command with at least two examples, each written as a shell line', async () => {
    const examplesOf: Record<string, number> = {};
    const unlike: string[] = [];
    for (const id of Object.keys(manifest.commands)) {
      const { stdout } = await runPix([...id.split(':'), '--help']);
      const examples = (stdout.split('EXAMPLES\n')[1] ?? '').split(/\n(?=[A-Z ]+\n)/)[0] ?? '';
      examplesOf[id] = examples.match(/\$ pix /g)?.length ?? 0;
      // Every example starts with "$ "; only a wrapped line goes on at a deeper indent.
      for (const line of examples.split('\n'))
        if (/^ {2}\S/.test(line) && !line.startsWith('  $ ')) unlike.push(`${id}: ${line}`);
    }
    expect(Object.entries(examplesOf).filter(([, count]) => count < 2)).toEqual([]);
    expect(unlike).toEqual([]);
  });

  it('starts a newcomer at pix demo, with a few examples before the list of commands', async () => {
    const { stdout } = await runPix(['--help']);
    const examples = stdout.indexOf('EXAMPLES');
    expect(examples).toBeGreaterThan(0);
    expect(examples).toBeLessThan(stdout.indexOf('COMMANDS'));
    const section = stdout.slice(examples, stdout.indexOf('COMMANDS'));
    expect(section).toContain('Start with `pix demo`');
    expect(section.match(/^ {2}\$ pix /gm)?.length).toBeGreaterThanOrEqual(4);
  });

  it('leads pix publish --help with the one-event commands, and shows one line of pix NDJSON', async () => {
    const { stdout } = await runPix(['publish', '--help']);
    const usage = (stdout.split('USAGE\n')[1] ?? '').split('\n\n')[0]?.split('\n') ?? [];
    expect(usage.slice(0, 3).map((line) => line.trim().split(' ').slice(0, 4).join(' '))).toEqual([
      '$ pix publish price',
      '$ pix publish discount',
      '$ pix publish country',
    ]);
    expect(usage.length).toBeLessThanOrEqual(5);
    // The shape of a line comes before the flags.
    const shape = stdout.indexOf('{"type":"price","productId":"123","price":9.99,"currency":"EUR"}');
    expect(shape).toBeGreaterThan(0);
    expect(shape).toBeLessThan(stdout.indexOf('FLAGS'));
  });

  it('shows no flag its environment variable or its default twice', () => {
    const twice: string[] = [];
    for (const [id, command] of Object.entries(manifest.commands)) {
      for (const [name, flag] of Object.entries(command.flags)) {
        const text = `${flag.summary ?? ''} ${flag.description ?? ''}`;
        const defaults = (flag.default !== undefined ? 1 : 0) + (text.match(/\bdefault\b/gi)?.length ?? 0);
        const envs = (flag.env ? 1 : 0) + (text.match(/\bEnv:/g)?.length ?? 0);
        if (defaults > 1 || envs > 1) twice.push(`${id} --${name}`);
      }
    }
    expect(twice).toEqual([]);
  });

  it.each([
    [['publsh', 'price', '--id', '1', '--price', '2'], "unknown command 'publsh'. Did you mean 'publish'?"],
    [['topics', 'lst'], "unknown command 'topics lst'. Did you mean 'topics list'?"],
    [['publish', 'prise', '--id', '1'], "unknown command 'publish prise'. Did you mean 'publish price'?"],
    [['frobnicate'], "unknown command 'frobnicate' (See `pix --help` for the commands)"],
    // Help for a command that does not exist is the same answer, not oclif's "Command … not found."
    [['publsh', '--help'], "unknown command 'publsh'. Did you mean 'publish'?"],
    [['topics', 'delete', '--help'], "unknown command 'topics delete' (See `pix --help` for the commands)"],
    [['help', 'topics', 'lst'], "unknown command 'topics lst'. Did you mean 'topics list'?"],
  ])('answers an unknown command in its own words, with a suggestion and exit 2: %j', async (args, message) => {
    const { code, stdout, stderr } = await runPix(args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`pix: error: ${message}`);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([
    [['help'], ['--help']],
    [
      ['help', 'publish', 'price'],
      ['publish', 'price', '--help'],
    ],
    [
      ['help', 'local', 'mirror'],
      ['local', 'mirror', '--help'],
    ],
  ])('pix %j shows what pix %j shows', async (asked, flagged) => {
    const [viaWord, viaFlag] = await Promise.all([runPix(asked), runPix(flagged)]);
    expect(viaWord).toMatchObject({ code: 0, stderr: '' });
    expect(viaWord.stdout).toMatch(/^USAGE$/m);
    expect(viaWord.stdout).toBe(viaFlag.stdout);
  });
});

describe('invalid input', () => {
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());

  const publish = (...args: string[]) => runPix(['publish', ...args, ...brokerArg(), '--topic-prefix', topics.prefix]);

  it('exits 2 naming the field and the rule, and publishes nothing', async () => {
    const { code, stderr, stdout } = await publish('price', '--id', '123', '--price', '-1');
    expect(code).toBe(2);
    expect(stderr).toBe('pix: error: price: must be ≥ 0 (got -1) (Nothing was published)\n');
    expect(stdout).toBe('');
    expect(await messageCount(topics.topics.of('price'))).toBe(0);
  });

  it('exits 2 for text where a number belongs', async () => {
    const { code, stderr } = await publish('discount', '--id', '1', '--discount', 'lots');
    expect(code).toBe(2);
    expect(stderr).toContain("discount: must be a number (got 'lots')");
    // Infinity, 0 and a rounded number as a double: refused alike, nothing published.
    for (const text of ['1e400', '1e-400', '9007199254740993']) {
      const unkept = await publish('price', '--id', '1', '--price', text);
      expect(unkept.code).toBe(2);
      expect(unkept.stderr).toContain(`price: must be a number pix can keep as given: at most 15 significant digits`);
      expect(unkept.stderr).toContain(`(got '${text}')`);
    }
    const spaced = await publish('price', '--id', '1', '--price', '  10  ');
    expect(spaced.code).toBe(2);
    expect(spaced.stderr).toContain("price: must be a number (got '  10  ')");
    const uk = await publish('country', '--id', '1', '--country', 'UK');
    expect(uk.code).toBe(2);
    expect(uk.stderr).toContain("use GB for the United Kingdom (got 'UK')");
    expect(await messageCount(topics.topics.of('discount'))).toBe(0);
    expect(await messageCount(topics.topics.of('price'))).toBe(0);
  });

  it('never prints the credentials of a Pushgateway URL, and refuses one that is no URL', async () => {
    const secret = 'http://admin:S3cretPW@127.0.0.1:1/x?token=QTOKEN';
    const pushed = await publish('price', '--id', 'push-1', '--price', '1', '--pushgateway', secret);
    // The event is published; the push that fails is a warning.
    expect(pushed.code).toBe(0);
    expect(pushed.stderr).toContain('pix: warning: could not push metrics to http://***:***@127.0.0.1:1/x?token=***');
    expect(pushed.stderr).not.toMatch(/S3cretPW|QTOKEN|admin/);
    const notUrl = await publish('price', '--id', 'push-2', '--price', '1', '--pushgateway', 'not a url');
    expect(notUrl.code).toBe(2);
    expect(notUrl.stderr).toContain("pix: error: --pushgateway: must be an http:// or https:// URL (got 'not a url')");
    expect(await messageCount(topics.topics.of('price'))).toBe(1);
  });

  it('exits 2 with a JSON error under --json', async () => {
    const { code, stderr } = await publish('country', '--id', '1', '--country', 'ZZ', '--json');
    expect(code).toBe(2);
    expect(JSON.parse(stderr)).toMatchObject({
      error: { code: 'INVALID_INPUT', exitCode: 2, details: { issues: [{ field: 'country' }] } },
    });
    expect(await messageCount(topics.topics.of('country'))).toBe(0);
  });

  it('exits 2 for a missing required flag, an unknown flag or an unknown event type', async () => {
    const missing = await publish('price', '--id', '1');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Missing required flag price');
    const unknown = await publish('price', '--id', '1', '--price', '1', '--prise', '2');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('--prise');
    const type = await runPix(['consume', 'stock', ...brokerArg()]);
    expect(type.code).toBe(2);
    expect(type.stderr).toContain("type: 'stock' is not an event type; use price, discount, country");
  });

  it('refuses every command line of the corpus with exit 2 and one line naming the flag, on both start-up paths', async () => {
    const runs = badInputs.flagCases().flatMap(({ args, exit, stderr }) =>
      (args[0] === 'publish' ? [undefined, 'off'] : [undefined]).map((fastPath) => ({
        args: args.map(corpusText),
        exit,
        stderr,
        fastPath,
      })),
    );
    // No broker answers there: a command line that got past its checks would exit 3, not 2.
    const results = await inBatches(runs, 4, ({ args, fastPath }) =>
      runPix(args, { env: { PIX_BROKERS: '127.0.0.1:1', PIX_FAST_PATH: fastPath } }),
    );
    for (const [index, { args, exit, stderr: message }] of runs.entries()) {
      const { code, stdout, stderr } = results[index] as Finished;
      const shown = args.map((arg) => arg.slice(0, 40)).join(' ');
      expect({ shown, code, stdout }).toEqual({ shown, code: exit, stdout: '' });
      expect(stderr).toContain(message);
      expect(stderr).not.toContain('please report it');
      expect(hasUnsafeCharacters(stderr.trimEnd())).toBe(false);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  }, 180_000);

  it('exits 2 when the topics were never created, naming the topic', async () => {
    const { code, stderr } = await runPix([
      'publish',
      'price',
      '--id',
      '1',
      '--price',
      '1',
      ...brokerArg(),
      '--topic-prefix',
      'never-created.',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('topic never-created.product-price-update does not exist');
  });

  it.each(['consume', 'serve-dashboard'])('%s exits 2 when given two places to start', async (command) => {
    const { code, stderr } = await runPix([command, '--from-beginning', '--since', '5m', ...brokerArg()]);
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr: 'pix: error: --from-beginning and --since are two places to start: give one\n',
    });
  });

  it.each([
    ['live', []],
    ['--exit', ['--exit']],
    ['--since', ['--since', '10m']],
  ])('consume (%s) exits 2 at once naming the topics that were never created', async (_, bound) => {
    // Before, kafkajs asked for the offsets of the missing topics until --timeout, and pix then
    // said the broker was unreachable (exit 3).
    const { code, stderr } = await runPix([
      'consume',
      'price',
      'country',
      ...bound,
      ...brokerArg(),
      '--topic-prefix',
      'never-created.',
    ]);
    expect({ code, stderr }).toEqual({
      code: 2,
      stderr:
        'pix: error: topics never-created.product-price-update, never-created.product-country-update do not exist (Run `pix topics create` first (with the same --topic-prefix))\n',
    });
  });

  it('exits 2 for a bad setting in the environment, naming it', async () => {
    const { code, stderr } = await runPix(['topics', 'list'], { env: { PIX_BROKERS: 'no-port' } });
    expect(code).toBe(2);
    expect(stderr).toContain("brokers: each broker must be host:port with a port from 1 to 65535 (got 'no-port')");
  });
});

describe('a stdout that cannot take the output', () => {
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());

  /** pix with stdout on /dev/full, which refuses every write with ENOSPC. */
  function toFullDisk(
    args: string[],
    env: Record<string, string | undefined> = {},
  ): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn('sh', ['-c', 'exec "$0" "$@" > /dev/full', process.execPath, PIX_BIN, ...args], {
        env: pixEnv(env),
      });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.stdin.end('{"type":"price","productId":"full-1","price":1}\n');
      child.on('close', (code) => resolve({ code, stderr }));
    });
  }

  it.each([
    [['publish', 'price', '--id', 'full-1', '--price', '1'], /; the event was published \(price full-1 → .*\)$/],
    [
      ['publish', 'price', '--id', 'full-1', '--price', '1', '--json'],
      /; the event was published \(price full-1 → .*\)"/,
    ],
    [['publish', '--file', '-'], /; published 1 event in .*; 0 invalid$/],
    [['simulate', '--count', '3'], /; published 3 events in .*; seed \d+$/],
    [['topics', 'list'], /^pix: error: cannot write the output \(ENOSPC\)$/],
  ])('%j exits 1 saying so and what was already done, with no stack trace', async (args, done) => {
    for (const fastPath of [undefined, 'off']) {
      const { code, stderr } = await toFullDisk([...args, ...brokerArg(), '--topic-prefix', topics.prefix], {
        PIX_FAST_PATH: fastPath,
      });
      expect(code).toBe(1);
      expect(stderr).toContain('cannot write the output (ENOSPC)');
      expect(stderr.trim()).toMatch(done);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/ at |node:internal/);
    }
  });
});
