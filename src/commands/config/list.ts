import { PixCommand } from '../../cli/base-command.js';
import { listClusters, type ClusterView } from '../../config/cluster-config.js';
import { globalFlags } from '../../cli/flags.js';
import { shownText } from '../../printable.js';
import { configFileOf } from '../../settings.js';

export default class ConfigList extends PixCommand<typeof ConfigList> {
  static override summary = 'List the named clusters of the config file; * marks the selected one.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;

  public async run(): Promise<{ configFile: string; clusters: ClusterView[] }> {
    const { path } = configFileOf(this.flags, process.env);
    const clusters = listClusters(path);
    if (clusters.length === 0) {
      this.log(`no clusters in ${path}; add one with: pix config add-cluster NAME --brokers HOST:PORT`);
    } else {
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
        this.log(
          row
            .map((cell, column) => cell.padEnd(widths[column] ?? 0))
            .join('  ')
            .trimEnd(),
        );
      }
    }
    return { configFile: path, clusters };
  }
}
