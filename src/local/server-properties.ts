import { BROKER_USER, LOCAL_USER, type SecurityMaterial } from './security.js';

interface ServerLayout {
  /** This node's id, from 1. */
  nodeId: number;
  port: number;
  controllerPort: number;
  dataDir: string;
  /** The controller port of every node of the cluster, node 1's first: they are the KRaft voters. */
  voterPorts: readonly number[];
  /** A SASL_SSL client listener, with these stores and passwords, in place of a plain-text one. */
  security?: SecurityMaterial;
}

/**
 * One KRaft node (broker and controller) of a cluster on loopback. Kafka's internal topics are
 * replicated to three nodes where there are three (two in sync), else to every node;
 * `group.initial.rebalance.delay.ms=0` lets a consumer start reading at once instead of after 3 s;
 * topics are not created on first use, so a mistyped prefix fails loudly instead of making a topic.
 */
export function serverProperties({
  nodeId,
  port,
  controllerPort,
  dataDir,
  voterPorts,
  security,
}: ServerLayout): string {
  const replicas = Math.min(3, voterPorts.length);
  const inSync = Math.min(2, replicas);
  const settings: Record<string, string | number> = {
    'process.roles': 'broker,controller',
    'node.id': nodeId,
    'controller.quorum.voters': voterPorts.map((voter, index) => `${index + 1}@127.0.0.1:${voter}`).join(','),
    ...listenerSettings(port, controllerPort, security),
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
 * The client listener, which brokers also use between themselves, and the controllers' own one on
 * loopback. SASL_SSL takes PLAIN and both SCRAM mechanisms for LOCAL_USER (the SCRAM credentials
 * are written at format time); brokers log in to each other by SCRAM-SHA-512 as BROKER_USER and
 * verify each other's certificate against the cluster's CA, as clients do.
 */
function listenerSettings(
  port: number,
  controllerPort: number,
  security: SecurityMaterial | undefined,
): Record<string, string> {
  const controller = `CONTROLLER://127.0.0.1:${controllerPort}`;
  if (!security) {
    return {
      listeners: `PLAINTEXT://127.0.0.1:${port},${controller}`,
      'advertised.listeners': `PLAINTEXT://127.0.0.1:${port}`,
      'controller.listener.names': 'CONTROLLER',
      'inter.broker.listener.name': 'PLAINTEXT',
      'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
    };
  }
  const scram = 'org.apache.kafka.common.security.scram.ScramLoginModule required';
  return {
    listeners: `SASL_SSL://127.0.0.1:${port},${controller}`,
    'advertised.listeners': `SASL_SSL://127.0.0.1:${port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'SASL_SSL',
    'listener.security.protocol.map': 'CONTROLLER:PLAINTEXT,SASL_SSL:SASL_SSL',
    'sasl.enabled.mechanisms': 'SCRAM-SHA-512,SCRAM-SHA-256,PLAIN',
    'sasl.mechanism.inter.broker.protocol': 'SCRAM-SHA-512',
    'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': `${scram} username="${BROKER_USER}" password="${security.brokerPassword}";`,
    'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': `${scram};`,
    'listener.name.sasl_ssl.plain.sasl.jaas.config': `org.apache.kafka.common.security.plain.PlainLoginModule required user_${LOCAL_USER}="${security.userPassword}";`,
    'ssl.keystore.type': 'PKCS12',
    'ssl.keystore.location': security.keystore,
    'ssl.keystore.password': security.storePassword,
    'ssl.truststore.type': 'PKCS12',
    'ssl.truststore.location': security.truststore,
    'ssl.truststore.password': security.storePassword,
  };
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
