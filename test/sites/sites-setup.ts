import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { START_BOUND_MS } from '../../src/local/local-broker.js';
import { PIX_BIN, pixEnv } from '../helpers/pix.js';
import { freePorts } from '../helpers/ports.js';
import { makeRunFolder, removeRunFolder } from '../helpers/temp.js';

/**
 * Two real local clusters, on-prem and cloud, started by `pix local start --name` on free ports,
 * named in a config file of the run, with pix's topics made on-prem. Every test and every pix it
 * starts finds them through PIX_CONFIG and PIX_STATE_DIR; whatever MirrorMaker a test left running
 * is stopped with the clusters.
 */
export default async function setup(): Promise<() => void> {
  const runFolder = makeRunFolder('sites');
  const stateDir = mkdtempSync(join(tmpdir(), 'pix-sites-state-'));
  const env = pixEnv({ PIX_STATE_DIR: stateDir, PIX_CONFIG: join(stateDir, 'config.json'), PIX_BROKERS: undefined });
  const pix = (...args: string[]) =>
    spawnSync(process.execPath, [PIX_BIN, ...args], { encoding: 'utf8', env, timeout: START_BOUND_MS * 2 });
  const stopAll = () => {
    for (const [from, to] of [
      ['on-prem', 'cloud'],
      ['cloud', 'on-prem'],
    ] as const) {
      pix('local', 'mirror', 'stop', '--from', from, '--to', to);
    }
    pix('local', 'stop', '--all', '--kill');
    rmSync(stateDir, { recursive: true, force: true });
  };
  for (const name of ['on-prem', 'cloud']) {
    const port = await freePorts(2);
    const started = pix('local', 'start', '--name', name, '--port', String(port), '--heap', '320m');
    if (started.status !== 0) {
      stopAll();
      throw new Error(`pix local start --name ${name} failed: ${started.stderr}${started.stdout}`);
    }
  }
  const topics = pix('topics', 'create', '--cluster', 'on-prem');
  if (topics.status !== 0) {
    stopAll();
    throw new Error(`pix topics create --cluster on-prem failed: ${topics.stderr}`);
  }
  process.env.PIX_STATE_DIR = stateDir;
  process.env.PIX_CONFIG = join(stateDir, 'config.json');
  delete process.env.PIX_BROKERS;
  return () => {
    stopAll();
    removeRunFolder(runFolder);
  };
}
