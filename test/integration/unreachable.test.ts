import { writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { messageCount, TEST_BROKERS, withFreshTopics } from '../helpers/kafka.js';
import { runPix } from '../helpers/pix.js';
import { fileFolder } from '../helpers/temp.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';

const fileOfOneEvent = join(fileFolder('unreachable'), 'one.ndjson');
writeFileSync(fileOfOneEvent, '{"type":"price","productId":"1","price":1}\n');

/** A port where nothing listens: bound, closed, and so refused from then on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('a broker that does not answer', () => {
  let port: number;
  let silent: Server;
  let silentPort: number;
  const accepted = new Set<Socket>();

  beforeAll(async () => {
    port = await closedPort();
    // Accepts connections and never says a word: a hung broker, or a firewall that drops.
    silent = createServer((socket) => accepted.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentPort = (silent.address() as { port: number }).port;
  });
  afterAll(async () => {
    for (const socket of accepted) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  const commands = [
    ['publish', 'price', '--id', '1', '--price', '1'],
    ['publish', '--file', fileOfOneEvent],
    ['consume', '--max-messages', '1'],
    ['topics', 'create'],
    ['topics', 'list'],
  ];

  for (const command of commands) {
    it(`pix ${command.slice(0, 2).join(' ')} exits 3 within --timeout, with one line naming the broker`, async () => {
      const { code, stderr, stdout, ms } = await runPix([
        ...command,
        '--brokers',
        `127.0.0.1:${port}`,
        '--timeout',
        '2s',
      ]);
      expect(code).toBe(3);
      expect(stdout).toBe('');
      // The reason is what the socket said, on pix's own producer and through kafkajs alike.
      expect(stderr).toMatch(
        new RegExp(`^pix: error: cannot reach Kafka broker 127\\.0\\.0\\.1:${port} within 2s \\(connection refused\\)`),
      );
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
      // A file publish says that none of its events went out.
      expect(stderr.includes('; nothing was published')).toBe(command.includes('--file'));
      // The 2 s given was the bound, not the default --timeout (which a loaded machine's start-up
      // would not reach either).
      expect(ms).toBeLessThan(DEFAULT_TIMEOUT_MS);
    });
  }

  it("with --json, names the brokers and the socket's reason apart from the sentence", async () => {
    for (const command of [
      ['publish', 'price', '--id', '1', '--price', '1'],
      ['topics', 'list'],
    ]) {
      const { code, stderr } = await runPix([
        ...command,
        '--json',
        '--brokers',
        `127.0.0.1:${port}`,
        '--timeout',
        '1s',
      ]);
      expect(code).toBe(3);
      const { error } = JSON.parse(stderr) as { error: { code: string; details: object } };
      expect(error.code).toBe('BROKER_UNREACHABLE');
      expect(error.details).toMatchObject({ brokers: [`127.0.0.1:${port}`], reason: 'connection refused' });
    }
  });

  it('names every broker tried', async () => {
    const { code, stderr } = await runPix([
      'topics',
      'list',
      '--brokers',
      `127.0.0.1:${port},localhost:${port}`,
      '--timeout',
      '1s',
    ]);
    expect(code).toBe(3);
    expect(stderr).toContain(`brokers 127.0.0.1:${port}, localhost:${port}`);
  });

  it('gives up on a broker that accepts the connection and never answers', async () => {
    const { code, stderr, ms } = await runPix([
      'topics',
      'list',
      '--brokers',
      `127.0.0.1:${silentPort}`,
      '--timeout',
      '2s',
    ]);
    expect(code).toBe(3);
    expect(stderr).toContain(`cannot reach Kafka broker 127.0.0.1:${silentPort} within 2s (the broker did not answer)`);
    expect(ms).toBeLessThan(DEFAULT_TIMEOUT_MS);
  });

  it('publishes through the next bootstrap broker when the first accepts and never answers', async () => {
    await withFreshTopics({}, async (fresh) => {
      // The silent broker first: pix gives it its own bound, then goes on to the real one.
      const brokers = [`127.0.0.1:${silentPort}`, ...TEST_BROKERS].join(',');
      const one = await runPix([
        'publish',
        'price',
        '--id',
        'past-the-silent-one',
        '--price',
        '1',
        '--brokers',
        brokers,
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect({ code: one.code, stderr: one.stderr }).toEqual({ code: 0, stderr: '' });
      const file = await runPix([
        'publish',
        '--file',
        fileOfOneEvent,
        '--brokers',
        brokers,
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect(file.code).toBe(0);
      expect(await messageCount(fresh.topics.of('price'))).toBe(2);
    });
  });

  it("shows the Kafka client's own lines only when asked with --log-level debug", async () => {
    const quiet = await runPix(['topics', 'list', '--brokers', `127.0.0.1:${port}`, '--timeout', '1s']);
    expect(quiet.stderr).not.toContain('kafkajs');
    const loud = await runPix([
      'topics',
      'list',
      '--brokers',
      `127.0.0.1:${port}`,
      '--timeout',
      '1s',
      '--log-level',
      'debug',
    ]);
    expect(loud.stderr).toMatch(/^pix \[(error|debug)\] kafkajs /m);
  });
});
