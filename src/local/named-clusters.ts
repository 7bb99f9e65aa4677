import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

import { addCluster } from '../config/cluster-config.js';
import { PixError } from '../errors.js';
import { shownText } from '../printable.js';
import { CLUSTER_NAME_PATTERN, readConfigFile } from '../settings.js';
import { isPortOpen, type LocalBrokerState } from './local-broker.js';
import { instanceDir } from './paths.js';
import { readSecurityMaterial, LOCAL_USER } from './security.js';

/** The port pix's local broker has always used when none is named. */
const DEFAULT_LOCAL_PORT = 9092;
/** Where a cluster without a port of its own goes: 9092, 9192, 9292… the first whose ports are free. */
const PORT_STEP = 100;

/** Local clusters started by name (`pix local start --name cloud`): each name's port, kept in the state folder. */
type Registry = Record<string, { port: number }>;

const registryPath = (stateDir: string): string => join(stateDir, 'local-clusters.json');

function readRegistry(stateDir: string): Registry {
  try {
    return JSON.parse(readFileSync(registryPath(stateDir), 'utf8')) as Registry;
  } catch {
    return {};
  }
}

async function register(stateDir: string, name: string, port: number): Promise<void> {
  await mkdir(stateDir, { recursive: true });
  const registry = { ...readRegistry(stateDir), [name]: { port } };
  await writeFile(registryPath(stateDir), `${JSON.stringify(registry, null, 2)}\n`);
}

/**
 * The port of the local cluster these flags name: --port, else the one a --name was started on,
 * else (for a new name) the first block of free ports from 9092 up that no named cluster has.
 */
export async function localClusterPort(
  stateDir: string,
  flags: { port?: number; name?: string; nodes?: number },
  { creating }: { creating: boolean },
): Promise<number> {
  if (flags.name === undefined) return flags.port ?? DEFAULT_LOCAL_PORT;
  if (!CLUSTER_NAME_PATTERN.test(flags.name)) {
    throw new PixError(
      'INVALID_INPUT',
      `name: must be letters, digits, '.', '_' or '-', from a letter or digit (got '${shownText(flags.name)}')`,
    );
  }
  const registry = readRegistry(stateDir);
  const known = Object.hasOwn(registry, flags.name) ? registry[flags.name] : undefined;
  if (known) {
    if (flags.port !== undefined && flags.port !== known.port) {
      throw new PixError(
        'INVALID_INPUT',
        `--port: local cluster ${flags.name} runs on port ${known.port}, not ${flags.port}`,
        { hint: `Leave --port out: --name ${flags.name} finds it.` },
      );
    }
    return known.port;
  }
  if (!creating) {
    throw new PixError('INVALID_INPUT', `name: there is no local cluster named ${flags.name}`, {
      hint: `Start one with: pix local start --name ${flags.name}`,
    });
  }
  if (flags.port !== undefined) return flags.port;
  const taken = new Set(Object.values(registry).map((entry) => entry.port));
  const ports = 2 * (flags.nodes ?? 1);
  for (let port = DEFAULT_LOCAL_PORT; port + ports < 65_536; port += PORT_STEP) {
    if (taken.has(port)) continue;
    const open = await Promise.all(Array.from({ length: ports }, (_, index) => isPortOpen(port + index)));
    if (!open.some(Boolean) && !hasState(stateDir, port)) return port;
  }
  throw new PixError('LOCAL_BROKER', 'no free ports for a local cluster', { hint: 'Name one with --port.' });
}

/** A cluster was made on this port (its folder is there), whether or not it runs. */
function hasState(stateDir: string, port: number): boolean {
  return existsSync(instanceDir(stateDir, port));
}

/**
 * Records a cluster started by name, and makes it a named cluster of the config file (brokers,
 * site = its name, and what a SASL_SSL one needs), so `--cluster NAME` reaches it. A cluster of
 * that name the user made for other brokers is left as it is, and said.
 */
export async function registerStarted(
  stateDir: string,
  configPath: string,
  name: string,
  port: number,
  state: LocalBrokerState,
): Promise<{ addedToConfig: boolean; note?: string }> {
  await register(stateDir, name, port);
  const brokers = state.address.split(',');
  const existing = readConfigFile(configPath, false)?.clusters?.[name];
  if (existing) {
    const theirs = Array.isArray(existing.brokers) ? existing.brokers : existing.brokers.split(',');
    if (theirs.join(',') !== brokers.join(',')) {
      return {
        addedToConfig: false,
        note: `cluster ${name} of ${configPath} names other brokers (${theirs.join(',')}): left as it is`,
      };
    }
  }
  const material = state.security === 'sasl-ssl' ? readSecurityMaterial(instanceDir(stateDir, port)) : undefined;
  addCluster(configPath, name, {
    brokers,
    site: name,
    ...(material
      ? {
          tls: true,
          tlsCa: material.caFile,
          saslMechanism: 'scram-sha-512',
          saslUsername: LOCAL_USER,
          saslPassword: material.userPassword,
        }
      : {}),
  });
  return { addedToConfig: !existing };
}

/** Every local cluster started by name, with its port. */
export function namedClusters(stateDir: string): { name: string; port: number }[] {
  return Object.entries(readRegistry(stateDir)).map(([name, { port }]) => ({ name, port }));
}

/** The clusters started by name, and the one on the default port when it was ever made. */
export function everyLocalCluster(stateDir: string): { name?: string; port: number }[] {
  const named = namedClusters(stateDir);
  const unnamed =
    !named.some((cluster) => cluster.port === DEFAULT_LOCAL_PORT) && hasState(stateDir, DEFAULT_LOCAL_PORT);
  return [...named, ...(unnamed ? [{ port: DEFAULT_LOCAL_PORT }] : [])];
}
