import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { brokerArg, freshTopics } from '../helpers/kafka.js';
import { runPix } from '../helpers/pix.js';

const recorder = fileURLToPath(new URL('../helpers/record-loads.cjs', import.meta.url));
const olderNode = fileURLToPath(new URL('../helpers/older-node.cjs', import.meta.url));

async function loadsOf(args: string[]): Promise<{ heavy: string[]; oclif: boolean }> {
  const { stderr } = await runPix(args, { env: { NODE_OPTIONS: `--require ${recorder}` } });
  const line = /HEAVY-MODULES:(.*)$/m.exec(stderr);
  if (!line) throw new Error(`the recorder did not report: ${stderr}`);
  return { heavy: line[1] ? line[1].split(',') : [], oclif: /^OCLIF:yes$/m.test(stderr) };
}

async function heavyModulesOf(args: string[]): Promise<string[]> {
  return (await loadsOf(args)).heavy;
}

describe('start-up', () => {
  it('on a Node older than 22.12 says so in one line, exit 1, whatever the command', async () => {
    for (const args of [['--version'], ['publish', 'price', '--id', '1', '--price', '9']]) {
      const { code, stdout, stderr } = await runPix(args, { env: { NODE_OPTIONS: `--require ${olderNode}` } });
      expect({ code, stdout, stderr }).toEqual({
        code: 1,
        stdout: '',
        stderr: "pix: error: pix needs Node.js 22.12 or newer; this is v22.11.0 (see the README's quick start)\n",
      });
    }
  });

  it('loads no heavy module for --help, --version or commands that do not talk to Kafka', async () => {
    expect(await heavyModulesOf(['--help'])).toEqual([]);
    expect(await heavyModulesOf(['--version'])).toEqual([]);
    expect(await heavyModulesOf(['publish', 'price', '--help'])).toEqual([]);
    expect(await heavyModulesOf(['local', 'status', '--port', '1'])).toEqual([]);
  });

  it('loads kafkajs for the commands that read or administer Kafka, and nothing else heavy', async () => {
    expect(await heavyModulesOf(['topics', 'list', ...brokerArg()])).toEqual(['kafkajs']);
    // No prom-client without --metrics-port or --pushgateway: publishing and reading start lighter.
    const topics = await freshTopics();
    try {
      const kafka = [...brokerArg(), '--topic-prefix', topics.prefix];
      // One event or a file from a plain command line starts with neither oclif nor kafkajs's client.
      expect(await loadsOf(['publish', 'price', '--id', '1', '--price', '1', ...kafka])).toEqual({
        heavy: [],
        oclif: false,
      });
      expect(await loadsOf(['publish', 'price', '--id', '1', '--price', '1', '--json', ...kafka])).toEqual({
        heavy: [],
        oclif: false,
      });
      expect(await loadsOf(['publish', '--file', '/dev/null', ...kafka])).toEqual({ heavy: [], oclif: false });
      expect(await loadsOf(['publish', '--file', '/dev/null', '--batch-size', '10', ...kafka])).toEqual({
        heavy: [],
        oclif: true,
      });
      expect(await heavyModulesOf(['consume', '--from-beginning', '--max-messages', '1', ...kafka])).toEqual([
        'kafkajs',
      ]);
      expect(
        await heavyModulesOf(['consume', '--from-beginning', '--max-messages', '1', '--metrics-port', '0', ...kafka]),
      ).toEqual(['kafkajs', 'prom-client']);
    } finally {
      await topics.cleanup();
    }
  });
});
