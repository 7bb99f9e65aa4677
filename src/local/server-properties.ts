export interface ServerLayout {
  /** This node's id, from 1. */
  nodeId: number;
  port: number;
  controllerPort: number;
  dataDir: string;
  /** The controller port of every node of the cluster, node 1's first: they are the KRaft voters. */
  voterPorts: readonly number[];
}

/**
 * One KRaft node (broker and controller) of a cluster on loopback. Kafka's internal topics are
 * replicated to three nodes where there are three (two in sync), else to every node;
 * `group.initial.rebalance.delay.ms=0` lets a consumer start reading at once instead of after 3 s;
 * topics are not created on first use, so a mistyped prefix fails loudly instead of making a topic.
 */
export function serverProperties({ nodeId, port, controllerPort, dataDir, voterPorts }: ServerLayout): string {
  const replicas = Math.min(3, voterPorts.length);
  const inSync = Math.min(2, replicas);
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': voterPorts.map((voter, index) => `${index + 1}@127.0.0.1:${voter}`).join(','),
    listeners: `PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
    'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    'log.dirs': dataDir,
    'num.partitions': 3,
    'auto.create.topics.enable': 'false',
    'offsets.topic.replication.factor': replicas,
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': replicas,
    'transaction.state.log.min.isr': inSync,
    'share.coordinator.state.topic.replication.factor': replicas,
    'share.coordinator.state.topic.min.isr': inSync,
    'default.replication.factor': replicas,
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
