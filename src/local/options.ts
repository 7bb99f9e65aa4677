import type { LocalBrokerOptions } from './local-broker.js';
import { cacheDir, stateDir } from './paths.js';
import type { LocalSecurity } from './security.js';

/** The options of a local broker from the flags of `pix local …` and the environment. */
export function localBrokerOptions(
  flags: {
    port: number;
    'controller-port'?: number;
    'data-dir'?: string;
    heap?: string;
    nodes?: number;
    security?: LocalSecurity;
  },
  onProgress: (message: string) => void,
): LocalBrokerOptions {
  return {
    port: flags.port,
    ...(flags['controller-port'] ? { controllerPort: flags['controller-port'] } : {}),
    ...(flags['data-dir'] ? { dataDir: flags['data-dir'] } : {}),
    heap: flags.heap ?? '512m',
    ...(flags.nodes !== undefined ? { nodes: flags.nodes } : {}),
    ...(flags.security !== undefined ? { security: flags.security } : {}),
    stateDir: stateDir(process.env),
    cacheDir: cacheDir(process.env),
    env: process.env,
    onProgress,
  };
}
