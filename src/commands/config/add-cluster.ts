import { Args, Flags } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { globalFlags } from '../../cli/flags.js';
import { configAddCluster } from '../../config/commands.js';
import { SASL_MECHANISMS } from '../../settings.js';

export default class ConfigAddCluster extends PixCommand<typeof ConfigAddCluster> {
  static override summary = 'Add a named cluster to the config file (or replace the one of that name).';
  static override description = `Every Kafka command then takes --cluster NAME (or PIX_CLUSTER), and \`pix config use NAME\` makes it the default. A command's settings come from its flags, else PIX_* variables, else the selected cluster, else the rest of the config file, else pix's defaults.

Give the SASL password as the name of an environment variable (--sasl-password-env), read when the cluster is used, so the file holds no secret; the file is written readable by you alone (mode 0600) whatever it holds.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> on-prem --brokers kafka-1.dc:9092,kafka-2.dc:9092 --site on-prem',
    '<%= config.bin %> <%= command.id %> cloud --brokers b-1.cloud.example:9096 --site cloud --tls --sasl-mechanism scram-sha-512 --sasl-username pix --sasl-password-env CLOUD_KAFKA_PASSWORD',
  ];
  static override baseFlags = globalFlags;
  static override enableJsonFlag = true;
  static override args = {
    name: Args.string({ description: "The cluster's name: letters, digits, '.', '_' and '-'.", required: true }),
  };
  static override flags = {
    brokers: Flags.string({ char: 'b', summary: 'Bootstrap brokers, host:port[,host:port…].', required: true }),
    site: Flags.string({ summary: 'The site it is (on-prem, cloud…): the origin of what is published there.' }),
    'client-id': Flags.string({ summary: 'Kafka client id. Default pix.' }),
    tls: Flags.boolean({ summary: 'Connect with TLS.' }),
    'tls-ca': Flags.string({ summary: 'CA certificate (PEM file) to trust.' }),
    'tls-cert': Flags.string({ summary: 'Client certificate (PEM file).' }),
    'tls-key': Flags.string({ summary: 'Client key (PEM file).' }),
    'tls-insecure': Flags.boolean({ summary: 'Accept any server certificate (test clusters only).' }),
    'sasl-mechanism': Flags.string({ summary: 'SASL mechanism.', options: [...SASL_MECHANISMS] }),
    'sasl-username': Flags.string({ summary: 'SASL username.' }),
    'sasl-password-env': Flags.string({
      summary: 'The environment variable that holds the SASL password, read when the cluster is used.',
      exclusive: ['sasl-password'],
    }),
    'sasl-password': Flags.string({
      summary: 'The SASL password itself, kept in the file; prefer --sasl-password-env.',
    }),
  };

  public async run(): Promise<void> {
    const { flags, args } = this;
    await this.runWork(configAddCluster, {
      ...this.configFileFlag(),
      name: args.name,
      entry: {
        brokers: flags.brokers,
        ...(flags.site !== undefined ? { site: flags.site } : {}),
        ...(flags['client-id'] !== undefined ? { clientId: flags['client-id'] } : {}),
        ...(flags.tls ? { tls: true } : {}),
        ...(flags['tls-ca'] !== undefined ? { tlsCa: flags['tls-ca'] } : {}),
        ...(flags['tls-cert'] !== undefined ? { tlsCert: flags['tls-cert'] } : {}),
        ...(flags['tls-key'] !== undefined ? { tlsKey: flags['tls-key'] } : {}),
        ...(flags['tls-insecure'] ? { tlsInsecure: true } : {}),
        ...(flags['sasl-mechanism'] !== undefined ? { saslMechanism: flags['sasl-mechanism'] } : {}),
        ...(flags['sasl-username'] !== undefined ? { saslUsername: flags['sasl-username'] } : {}),
        ...(flags['sasl-password-env'] !== undefined ? { saslPasswordEnv: flags['sasl-password-env'] } : {}),
        ...(flags['sasl-password'] !== undefined ? { saslPassword: flags['sasl-password'] } : {}),
      },
    });
  }
}
