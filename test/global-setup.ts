import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { answersMetadata } from '../src/local/metadata-probe.js';
import { parseBrokers } from '../src/settings.js';
import { PIX_BIN, pixEnv } from './helpers/pix.js';

/**
 * Integration tests need a real broker. When none answers at PIX_BROKERS (default
 * 127.0.0.1:9092), start pix's own local broker there, and stop it afterwards: only if this run
 * started it. And a run leaves nothing in the temporary folder: what tests and pix made there
 * (named pix-…) since the run began is an error, named, when the run ends.
 */
export default async function setup(): Promise<() => void> {
  const began = Date.now();
  const [first] = parseBrokers(process.env.PIX_BROKERS);
  const [host = '127.0.0.1', port = '9092'] = (first ?? '').split(':');
  let stopBroker = (): void => undefined;
  if (!(await answersMetadata(host, Number(port), 3_000))) {
    const start = spawnSync(process.execPath, [PIX_BIN, 'local', 'start', '--port', port], {
      encoding: 'utf8',
      env: pixEnv(),
    });
    if (start.status !== 0) {
      throw new Error(`no broker at ${host}:${port}, and pix local start failed: ${start.stderr}${start.stdout}`);
    }
    stopBroker = () => {
      spawnSync(process.execPath, [PIX_BIN, 'local', 'stop', '--port', port], { stdio: 'inherit', env: pixEnv() });
    };
  }
  return () => {
    stopBroker();
    const left = leftInTemp(began);
    if (left.length > 0) {
      // vitest reports an error thrown here and still exits 0: the exit code says it instead.
      process.stderr.write(`\nerror: the tests left these behind in ${tmpdir()}: ${left.join(', ')}\n`);
      process.exitCode = 1;
    }
  };
}

function leftInTemp(since: number): string[] {
  const folder = tmpdir();
  return readdirSync(folder).filter((name) => {
    if (!name.startsWith('pix-')) return false;
    const made = statSync(join(folder, name), { throwIfNoEntry: false });
    return made !== undefined && made.birthtimeMs >= since;
  });
}
