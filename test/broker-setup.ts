import { spawnSync } from 'node:child_process';

import { brokersListedBy } from '../src/kafka/index.js';
import { parseBrokers } from '../src/settings.js';
import { PIX_BIN, pixEnv } from './helpers/pix.js';

/**
 * Integration tests need a real broker. When none answers at PIX_BROKERS (default
 * 127.0.0.1:9092), start pix's own local broker there, and stop it afterwards: only if this run
 * started it.
 */
export default async function setup(): Promise<() => void> {
  const [first] = parseBrokers(process.env.PIX_BROKERS);
  const [host = '127.0.0.1', port = '9092'] = (first ?? '').split(':');
  let stopBroker = (): void => undefined;
  if ((await brokersListedBy(host, Number(port), 3_000)) === undefined) {
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
  return () => stopBroker();
}
