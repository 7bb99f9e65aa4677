import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';

import { afterEach, describe, expect, it } from 'vitest';

import { runCommand, type CommandRun } from '../../src/cli/run-command.js';
import type { CommandContext } from '../../src/command-context.js';
import { configList } from '../../src/config/commands.js';
import { PixError, warn } from '../../src/errors.js';
import { publishOne } from '../../src/publish/publish-one.js';

/** A stream that keeps what is written to it. */
function captured(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString());
      callback();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Runs `work` as a command line would, with its own streams and an environment of `env` alone. */
async function run<Options, Result>(
  work: (options: Options, context: CommandContext) => Promise<Result>,
  options: Options,
  how: Partial<CommandRun> = {},
) {
  const folder = mkdtempSync(join(tmpdir(), 'pix-run-'));
  folders.push(folder);
  const stdout = captured();
  const stderr = captured();
  const exitCode = await runCommand(work, options, {
    json: false,
    settingFlags: {},
    env: { XDG_CONFIG_HOME: folder },
    stdout,
    stderr,
    ...how,
  });
  return { exitCode, stdout: stdout.text(), stderr: stderr.text(), folder };
}

describe('runCommand', () => {
  const work = async (_options: object, context: CommandContext): Promise<{ published: number }> => {
    context.log('published 3 events');
    return { published: 3 };
  };

  it("prints a work's lines for people, and its result alone with --json", async () => {
    expect(await run(work, {})).toMatchObject({ exitCode: 0, stdout: 'published 3 events\n', stderr: '' });
    const json = await run(work, {}, { json: true });
    expect(json.exitCode).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ published: 3 });
  });

  it("collects every warning into --json's result, the context's and those said deeper down", async () => {
    const warning = async (_options: object, context: CommandContext): Promise<{ published: number }> => {
      context.warn('the password is in the process list');
      warn('could not push metrics');
      return { published: 1 };
    };
    const { exitCode, stdout, stderr } = await run(warning, {}, { json: true });
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      published: 1,
      warnings: ['the password is in the process list', 'could not push metrics'],
    });
    expect(stderr).toBe('pix: warning: the password is in the process list\n');
  });

  it("renders pix's errors in one line, or as JSON with the warnings said before, and returns their exit code", async () => {
    const failing = async (_options: object, context: CommandContext): Promise<never> => {
      context.warn('first this');
      throw new PixError('INVALID_INPUT', 'price: must be ≥ 0 (got -3)', { hint: 'Nothing was published.' });
    };
    const plain = await run(failing, {});
    expect(plain).toMatchObject({ exitCode: 2, stdout: '' });
    expect(plain.stderr).toContain('pix: error: price: must be ≥ 0 (got -3) (Nothing was published)\n');
    const json = await run(failing, {}, { json: true });
    expect(json.exitCode).toBe(2);
    expect(JSON.parse(json.stderr.split('\n').at(-2) ?? '')).toEqual({
      error: {
        code: 'INVALID_INPUT',
        exitCode: 2,
        message: 'price: must be ≥ 0 (got -3)',
        retryable: false,
        hint: 'Nothing was published.',
      },
      warnings: ['first this'],
    });
  });

  it('shows what it did not expect as a bug to report, exit 1', async () => {
    const { exitCode, stderr } = await run(async () => Promise.reject(new TypeError('x is undefined')), {});
    expect(exitCode).toBe(1);
    expect(stderr).toBe(
      'pix: error: x is undefined (Run again with --log-level debug to see where; please report it)\n',
    );
  });

  it('checks the settings before any work: a config file value of the wrong kind exits 2 naming it', async () => {
    let worked = false;
    const folder = mkdtempSync(join(tmpdir(), 'pix-run-'));
    folders.push(folder);
    const config = join(folder, 'bad.json');
    writeFileSync(config, JSON.stringify({ brokers: 5 }));
    const { exitCode, stderr } = await run(
      async () => {
        worked = true;
      },
      {},
      { env: { PIX_CONFIG: config } },
    );
    expect({ exitCode, worked }).toEqual({ exitCode: 2, worked: false });
    expect(stderr).toContain(`config: ${config}: brokers:`);
  });
});

describe("commands' work, called without argv", () => {
  it('pix publish price: an invalid event exits 2 naming the field, before any broker is asked', async () => {
    const { exitCode, stderr } = await run(
      publishOne,
      { type: 'price', flags: { id: '123', price: '-1', currency: 'USD' } },
      // Nothing answers here: the event is refused before a client connects.
      { settingFlags: { brokers: '127.0.0.1:1' }, json: true },
    );
    expect(exitCode).toBe(2);
    expect(JSON.parse(stderr)).toMatchObject({
      error: { code: 'INVALID_INPUT', details: { issues: [{ field: 'price' }] } },
    });
  });

  it('pix config list: a config file with no cluster says how to add one', async () => {
    const { exitCode, stdout, folder } = await run(configList, {}, { selectCluster: false });
    expect(exitCode).toBe(0);
    expect(stdout).toBe(
      `no clusters in ${join(folder, 'pix', 'config.json')}; add one with: pix config add-cluster NAME --brokers HOST:PORT\n`,
    );
  });
});
