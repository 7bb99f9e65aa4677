import { chmodSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

import { PixError } from '../errors.js';
import { shownText } from '../printable.js';
import {
  CLUSTER_NAME_PATTERN,
  clusterEntry,
  clusterLayer,
  readConfigFile,
  resolveSettings,
  type ClusterEntry,
  type ConfigFile,
} from '../settings.js';

/** A cluster as `pix config list` and `show` give it: secrets never, the variable that holds one by name. */
export interface ClusterView {
  name: string;
  current: boolean;
  brokers: string[];
  site?: string;
  clientId?: string;
  tls: boolean;
  tlsCa?: string;
  sasl?: { mechanism: string; username?: string; password: string };
}

const MASKED = '********';

function read(path: string): ConfigFile {
  return readConfigFile(path, false) ?? {};
}

/** Writes the whole file at once (a reader never sees half of it), readable by its owner alone. */
function write(path: string, file: ConfigFile): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const partial = `${path}.partial-${process.pid}`;
  writeFileSync(partial, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  chmodSync(partial, 0o600);
  renameSync(partial, path);
}

function requireName(name: string): void {
  if (!CLUSTER_NAME_PATTERN.test(name)) {
    throw new PixError(
      'INVALID_INPUT',
      `name: must be letters, digits, '.', '_' or '-', from a letter or digit, at most 63 (got '${shownText(name)}')`,
    );
  }
}

/**
 * Adds the cluster, or replaces the one of that name; says which. Its settings are checked as a
 * command would read them, so a cluster that is added can be used.
 */
export function addCluster(path: string, name: string, entry: ClusterEntry): { replaced: boolean } {
  requireName(name);
  // A password held in a variable need not be set now: it is read when the cluster is used.
  const probe = { clusters: { [name]: { ...entry, saslPasswordEnv: undefined } } };
  const placeholder = entry.saslPasswordEnv !== undefined ? { saslPassword: 'set-when-used' } : {};
  resolveSettings({ flags: {}, env: {}, cluster: { ...clusterLayer(probe, name, path, {}), ...placeholder } });
  const file = read(path);
  const clusters = { ...file.clusters };
  const replaced = Object.hasOwn(clusters, name);
  clusters[name] = JSON.parse(JSON.stringify(entry)) as ClusterEntry; // drops what is undefined
  write(path, { ...file, clusters });
  return { replaced };
}

/** Selects the cluster every command uses when no --cluster, PIX_CLUSTER, --brokers or PIX_BROKERS says otherwise. */
export function useCluster(path: string, name: string): void {
  const file = read(path);
  clusterEntry(file, name, path);
  write(path, { ...file, currentCluster: name });
}

export function removeCluster(path: string, name: string): { wasCurrent: boolean } {
  const file = read(path);
  clusterEntry(file, name, path);
  const { [name]: _removed, ...clusters } = file.clusters ?? {};
  const wasCurrent = file.currentCluster === name;
  const { currentCluster: _current, ...rest } = file;
  write(path, {
    ...rest,
    clusters,
    ...(wasCurrent ? {} : file.currentCluster ? { currentCluster: file.currentCluster } : {}),
  });
  return { wasCurrent };
}

export function listClusters(path: string): ClusterView[] {
  const file = read(path);
  return Object.entries(file.clusters ?? {}).map(([name, entry]) => view(name, entry, file.currentCluster === name));
}

/** One cluster, by default the selected one. */
export function showCluster(path: string, name: string | undefined): ClusterView {
  const file = read(path);
  const chosen = name ?? file.currentCluster;
  if (chosen === undefined) {
    throw new PixError('INVALID_INPUT', `no cluster is selected in ${path}`, {
      hint: 'Name one (pix config show NAME), or select one with pix config use NAME.',
    });
  }
  return view(chosen, clusterEntry(file, chosen, path), file.currentCluster === chosen);
}

function view(name: string, entry: ClusterEntry, current: boolean): ClusterView {
  const brokers = Array.isArray(entry.brokers) ? entry.brokers : entry.brokers.split(',').map((each) => each.trim());
  const tls = Boolean(entry.tls) || Boolean(entry.tlsCa) || Boolean(entry.tlsCert) || Boolean(entry.tlsInsecure);
  return {
    name,
    current,
    brokers,
    ...(entry.site ? { site: entry.site } : {}),
    ...(entry.clientId ? { clientId: entry.clientId } : {}),
    tls,
    ...(entry.tlsCa ? { tlsCa: entry.tlsCa } : {}),
    ...(entry.saslMechanism
      ? {
          sasl: {
            mechanism: entry.saslMechanism,
            ...(entry.saslUsername ? { username: entry.saslUsername } : {}),
            password: entry.saslPasswordEnv ? `$${entry.saslPasswordEnv}` : entry.saslPassword ? MASKED : 'none',
          },
        }
      : {}),
  };
}
