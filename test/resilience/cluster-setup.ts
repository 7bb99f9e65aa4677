import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { START_BOUND_MS } from '../../src/local/local-broker.js';
import { PIX_BIN, pixEnv } from '../helpers/pix.js';
import { freePorts } from '../helpers/ports.js';
import { makeRunFolder, removeRunFolder } from '../helpers/temp.js';

/**
 * The resilience suite's own real cluster: three KRaft nodes started by `pix local start --nodes 3`
 * on free ports, with state in a folder of the run, stopped and removed when the run ends. Every
 * test and every pix it starts finds it through PIX_BROKERS, PIX_STATE_DIR and PIX_CLUSTER_PORT.
 */
export default async function setup(): Promise<() => void> {
  const runFolder = makeRunFolder('resilience');
  const stateDir = mkdtempSync(join(tmpdir(), 'pix-resilience-state-'));
  const port = await freePorts(6);
  const env = pixEnv({ PIX_STATE_DIR: stateDir });
  const local = (...args: string[]) =>
    spawnSync(process.execPath, [PIX_BIN, 'local', ...args, '--port', String(port)], {
      encoding: 'utf8',
      env,
      timeout: START_BOUND_MS * 3,
    });
  const started = local('start', '--nodes', '3', '--heap', '320m');
  if (started.status !== 0) {
    local('stop', '--kill');
    rmSync(stateDir, { recursive: true, force: true });
    throw new Error(`pix local start --nodes 3 failed: ${started.stderr}${started.stdout}`);
  }
  process.env.PIX_STATE_DIR = stateDir;
  process.env.PIX_CLUSTER_PORT = String(port);
  process.env.PIX_BROKERS = [port, port + 2, port + 4].map((each) => `127.0.0.1:${each}`).join(',');
  return () => {
    local('stop', '--kill');
    rmSync(stateDir, { recursive: true, force: true });
    removeRunFolder(runFolder);
  };
}
