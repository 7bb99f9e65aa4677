import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where the Kafka jars are cached: `$PIX_CACHE_DIR`, else `$XDG_CACHE_HOME/pix`, else `~/.cache/pix`. */
export function cacheDir(env: NodeJS.ProcessEnv): string {
  return env.PIX_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'pix');
}

/**
 * Where local brokers keep their config, log, pid and (by default) data: `$PIX_STATE_DIR`, else
 * `$XDG_STATE_HOME/pix`, else `~/.local/state/pix`. One folder per port, so brokers on different
 * ports never share anything.
 */
export function stateDir(env: NodeJS.ProcessEnv): string {
  return env.PIX_STATE_DIR || join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'pix');
}

export function instanceDir(state: string, port: number): string {
  return join(state, `kafka-${port}`);
}

/** The most nodes `pix local start --nodes` runs: a cluster to rehearse faults on, not to size one. */
export const MAX_LOCAL_NODES = 5;
