import { describe, expect, it } from 'vitest';

import { kafkaPom } from '../../src/local/kafka-jars.js';
import { javaMajorVersion } from '../../src/local/prerequisites.js';
import { newClusterId, serverProperties } from '../../src/local/server-properties.js';

describe('the local broker configuration', () => {
  const properties = serverProperties({
    nodeId: 1,
    port: 19092,
    controllerPort: 19093,
    dataDir: '/data/kafka',
    voterPorts: [19093],
  });

  it('runs broker and controller in one process on loopback', () => {
    expect(properties).toContain('process.roles=broker,controller\n');
    expect(properties).toContain('listeners=PLAINTEXT://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093\n');
    expect(properties).toContain('advertised.listeners=PLAINTEXT://127.0.0.1:19092\n');
    expect(properties).toContain('controller.quorum.voters=1@127.0.0.1:19093\n');
    expect(properties).toContain('log.dirs=/data/kafka\n');
  });

  it('fits a single node: replication factors of 1, no rebalance delay, no topics made by accident', () => {
    expect(properties).toContain('offsets.topic.replication.factor=1\n');
    expect(properties).toContain('transaction.state.log.replication.factor=1\n');
    expect(properties).toContain('group.initial.rebalance.delay.ms=0\n');
    expect(properties).toContain('auto.create.topics.enable=false\n');
  });

  it("makes each node of three a voter, and replicates Kafka's own topics to all three, two in sync", () => {
    const second = serverProperties({
      nodeId: 2,
      port: 19094,
      controllerPort: 19095,
      dataDir: '/data/node-2',
      voterPorts: [19093, 19095, 19097],
    });
    expect(second).toContain('node.id=2\n');
    expect(second).toContain('controller.quorum.voters=1@127.0.0.1:19093,2@127.0.0.1:19095,3@127.0.0.1:19097\n');
    expect(second).toContain('listeners=PLAINTEXT://127.0.0.1:19094,CONTROLLER://127.0.0.1:19095\n');
    expect(second).toContain('offsets.topic.replication.factor=3\n');
    expect(second).toContain('transaction.state.log.min.isr=2\n');
    expect(second).toContain('default.replication.factor=3\n');
  });

  it('secures the client listener with SASL_SSL, which brokers also log in to each other by', () => {
    const secured = serverProperties({
      nodeId: 1,
      port: 19092,
      controllerPort: 19093,
      dataDir: '/data/kafka',
      voterPorts: [19093],
      security: {
        folder: '/state/security',
        caFile: '/state/security/ca.pem',
        keystore: '/state/security/broker.p12',
        truststore: '/state/security/truststore.p12',
        clientEnvFile: '/state/security/client.env',
        kcatConfigFile: '/state/security/kcat.conf',
        storePassword: 'store-secret',
        brokerPassword: 'broker-secret',
        userPassword: 'user-secret',
      },
    });
    expect(secured).toContain('listeners=SASL_SSL://127.0.0.1:19092,CONTROLLER://127.0.0.1:19093\n');
    expect(secured).toContain('advertised.listeners=SASL_SSL://127.0.0.1:19092\n');
    expect(secured).not.toContain('PLAINTEXT://');
    expect(secured).toContain('inter.broker.listener.name=SASL_SSL\n');
    expect(secured).toContain('sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256,PLAIN\n');
    expect(secured).toContain('sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512\n');
    expect(secured).toContain('PlainLoginModule required user_pix="user-secret";\n');
    expect(secured).toContain('ScramLoginModule required username="broker" password="broker-secret";\n');
    expect(secured).toContain('ssl.keystore.location=/state/security/broker.p12\n');
  });

  it('makes KRaft cluster ids of 22 URL-safe characters', () => {
    expect(newClusterId(() => Buffer.alloc(16, 0xff))).toBe('_____________________w');
  });

  it('never makes a cluster id starting with "-", which the storage tool would take for an option', () => {
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    const id = newClusterId(() => draws.shift() ?? Buffer.alloc(16));
    expect(Buffer.alloc(16, 0xf8).toString('base64url')).toMatch(/^-/);
    expect(id).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
  });

  it('asks Maven for Kafka 4 and a log4j2 binding', () => {
    const pom = kafkaPom();
    expect(pom).toMatch(/<artifactId>kafka_2\.13<\/artifactId><version>4\.\d+\.\d+<\/version>/);
    expect(pom).toContain('<artifactId>log4j-slf4j2-impl</artifactId>');
  });

  it('reads the Java major version of old and new version strings', () => {
    expect(javaMajorVersion('openjdk version "17.0.15" 2025-04-15')).toBe(17);
    expect(javaMajorVersion('java version "1.8.0_392"')).toBe(8);
    expect(javaMajorVersion('openjdk version "21" 2023-09-19')).toBe(21);
    expect(javaMajorVersion('command not found')).toBeUndefined();
  });
});
