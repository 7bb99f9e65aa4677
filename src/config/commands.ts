import type { CommandContext } from '../command-context.js';
import { shownText } from '../printable.js';
import { configFileOf, type ClusterEntry } from '../settings.js';
import {
  addCluster,
  listClusters,
  removeCluster,
  showCluster,
  useCluster,
  type ClusterView,
} from './cluster-config.js';

/** The config file a `pix config` command works on: --config-file, else PIX_CONFIG, else the default. */
export interface ConfigFileOption {
  'config-file'?: string;
}

/** `pix config add-cluster NAME`: the cluster written (or replaced) in the config file. */
export async function configAddCluster(
  options: ConfigFileOption & { name: string; entry: ClusterEntry },
  context: CommandContext,
): Promise<{ name: string; replaced: boolean; configFile: string }> {
  const { path } = configFileOf(options, context.env);
  if (options.entry.saslPassword !== undefined) {
    context.warn(
      'the password is now in the process list and the config file: --sasl-password-env VAR keeps it in neither',
    );
  }
  const { replaced } = addCluster(path, options.name, options.entry);
  context.log(
    `${replaced ? 'replaced' : 'added'} cluster ${options.name} in ${path}; use it with --cluster ${options.name}, or make it the default with: pix config use ${options.name}`,
  );
  return { name: options.name, replaced, configFile: path };
}

/** `pix config list`: the config file's clusters as a table, the selected one starred. */
export async function configList(
  options: ConfigFileOption,
  context: CommandContext,
): Promise<{ configFile: string; clusters: ClusterView[] }> {
  const { path } = configFileOf(options, context.env);
  const clusters = listClusters(path);
  if (clusters.length === 0) {
    context.log(`no clusters in ${path}; add one with: pix config add-cluster NAME --brokers HOST:PORT`);
    return { configFile: path, clusters };
  }
  const rows = [
    ['', 'NAME', 'SITE', 'BROKERS', 'SECURITY'],
    ...clusters.map((cluster) => [
      cluster.current ? '*' : '',
      cluster.name,
      cluster.site ?? '-',
      cluster.brokers.join(','),
      [cluster.tls ? 'tls' : '', cluster.sasl ? `sasl ${cluster.sasl.mechanism}` : ''].filter(Boolean).join(', ') ||
        'plain text',
    ]),
  ].map((row) => row.map((cell) => shownText(cell)));
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows) {
    context.log(
      row
        .map((cell, column) => cell.padEnd(widths[column] ?? 0))
        .join('  ')
        .trimEnd(),
    );
  }
  return { configFile: path, clusters };
}

/** `pix config remove NAME`. */
export async function configRemove(
  options: ConfigFileOption & { name: string },
  context: CommandContext,
): Promise<{ removed: string; wasCurrent: boolean }> {
  const { wasCurrent } = removeCluster(configFileOf(options, context.env).path, options.name);
  context.log(
    `removed cluster ${options.name}${wasCurrent ? '; no cluster is selected now (pix config use NAME selects one)' : ''}`,
  );
  return { removed: options.name, wasCurrent };
}

/** `pix config show [NAME]`: one cluster's settings (the selected one's without a name), its password masked. */
export async function configShow(
  options: ConfigFileOption & { name?: string },
  context: CommandContext,
): Promise<ClusterView> {
  const cluster = showCluster(configFileOf(options, context.env).path, options.name);
  const lines: [string, string | undefined][] = [
    ['cluster', `${cluster.name}${cluster.current ? ' (selected)' : ''}`],
    ['brokers', cluster.brokers.join(',')],
    ['site', cluster.site],
    ['client id', cluster.clientId],
    ['tls', cluster.tls ? `on${cluster.tlsCa ? `, CA ${cluster.tlsCa}` : ''}` : 'off'],
    [
      'sasl',
      cluster.sasl
        ? `${cluster.sasl.mechanism}, user ${cluster.sasl.username ?? '-'}, password ${cluster.sasl.password}`
        : 'off',
    ],
  ];
  for (const [label, value] of lines) if (value !== undefined) context.log(`${label.padEnd(10)} ${shownText(value)}`);
  return cluster;
}

/** `pix config use NAME`: the cluster every command uses by default. */
export async function configUse(
  options: ConfigFileOption & { name: string },
  context: CommandContext,
): Promise<{ currentCluster: string }> {
  useCluster(configFileOf(options, context.env).path, options.name);
  context.log(`commands now use cluster ${options.name}`);
  return { currentCluster: options.name };
}
