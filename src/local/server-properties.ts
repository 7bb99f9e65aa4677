export interface ServerLayout {
  port: number;
  controllerPort: number;
  dataDir: string;
}

/**
 * A single-node KRaft broker on loopback. Replication factors are 1 because there is one node;
 * `group.initial.rebalance.delay.ms=0` lets a consumer start reading at once instead of after 3 s;
 * topics are not created on first use, so a mistyped prefix fails loudly instead of making a topic.
 */
export function serverProperties({ port, controllerPort, dataDir }: ServerLayout): string {
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': 1,
    'controller.quorum.voters': `1@127.0.0.1:${controllerPort}`,
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': 3,
    'auto.create.topics.enable': 'false',
    'offsets.topic.replication.factor': 1,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    'group.initial.rebalance.delay.ms': 0,
    'num.network.threads': 2,
    'num.io.threads': 4,
    'log.retention.hours': 168,
  };
  return `# Written by pix local start.\n${Object.entries(settings)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')}\n`;
}

/**
 * A KRaft cluster id: 16 random bytes, URL-safe base64 without padding. Like Kafka's own
 * Uuid.randomUuid, it never starts with '-': the storage tool would read such an id as an option.
 */
export function newClusterId(random: (size: number) => Buffer): string {
  for (;;) {
    const id = random(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}
