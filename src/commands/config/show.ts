import { Args } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { showCluster, type ClusterView } from '../../config/cluster-config.js';
import { globalFlags } from '../../cli/flags.js';
import { shownText } from '../../printable.js';
import { configFileOf } from '../../settings.js';

export default class ConfigShow extends PixCommand<typeof ConfigShow> {
  static override summary = 'Show a named cluster (the selected one by default), its secrets masked.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> cloud --json',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override args = { name: Args.string({ description: 'A cluster of the config file.', required: false }) };

  public async run(): Promise<ClusterView> {
    const cluster = showCluster(configFileOf(this.flags, process.env).path, this.args.name);
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
    for (const [label, value] of lines) if (value !== undefined) this.log(`${label.padEnd(10)} ${shownText(value)}`);
    return cluster;
  }
}
