import { ConfigResourceTypes } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';

import { KafkaClient } from '../../src/kafka/client.js';
import { START_BOUND_MS, STOP_BOUND_MS } from '../../src/local/local-broker.js';
import { createLogger } from '../../src/logger.js';
import { ndjson, runPix } from '../helpers/pix.js';
import { accepts, freePorts } from '../helpers/ports.js';
import { fileFolder } from '../helpers/temp.js';

interface NodeState {
  node: number;
  running: boolean;
  address: string;
  pid?: number;
}

describe('pix local start --nodes 3', () => {
  const state = fileFolder('cluster-state');
  const env = { PIX_STATE_DIR: state };
  let port = 0;
  const local = (...args: string[]) =>
    runPix(['local', ...args, '--port', String(port)], { env, killAfterMs: START_BOUND_MS });

  afterAll(async () => {
    if (port) await local('stop');
  }, STOP_BOUND_MS * 2);

  it(
    'runs three nodes, covers each in status and stop, stops and starts one, and makes topics that survive one',
    async () => {
      port = await freePorts(6);
      const addresses = [port, port + 2, port + 4].map((each) => `127.0.0.1:${each}`);
      const started = await local('start', '--nodes', '3', '--heap', '320m', '--json');
      expect({ code: started.code, stderr: started.stderr }).toEqual({ code: 0, stderr: '' });
      const cluster = JSON.parse(started.stdout) as { started: boolean; address: string; nodes: NodeState[] };
      expect(cluster).toMatchObject({ started: true, address: addresses.join(',') });
      expect(cluster.nodes.map(({ node, running, address }) => ({ node, running, address }))).toEqual(
        addresses.map((address, index) => ({ node: index + 1, running: true, address })),
      );
      expect(new Set(cluster.nodes.map((node) => node.pid)).size).toBe(3);

      // Topics default to three copies, two in sync, on three nodes.
      const brokers = ['--brokers', addresses.join(',')];
      const created = await runPix(['topics', 'create', ...brokers]);
      expect(created.code).toBe(0);
      expect(created.stderr).toContain('replication factor 3, min.insync.replicas=2');
      const listed = await runPix(['topics', 'list', '--json', ...brokers]);
      expect((JSON.parse(listed.stdout) as { topics: { replicas: number }[] }).topics).toEqual(
        expect.arrayContaining([expect.objectContaining({ topic: 'product-price-update', replicas: 3 })]),
      );
      const client = new KafkaClient(
        { brokers: addresses, clientId: 'pix-tests', timeoutMs: 10_000 },
        createLogger('silent'),
      );
      try {
        const admin = await client.admin();
        const { resources } = await admin.describeConfigs({
          includeSynonyms: false,
          resources: [
            { type: ConfigResourceTypes.TOPIC, name: 'product-price-update', configNames: ['min.insync.replicas'] },
          ],
        });
        expect(resources[0]?.configEntries).toEqual([expect.objectContaining({ configValue: '2' })]);
      } finally {
        await client.close();
      }

      // A crash of node 2: the others go on, and an event published now is acknowledged by two.
      const killed = await local('stop', '--node', '2', '--kill');
      expect(killed.stdout).toBe(`killed Kafka node 2 on ${addresses[1]} (pid ${cluster.nodes[1]?.pid})\n`);
      expect(await accepts(port + 2)).toBe(false);
      const status = await local('status', '--json');
      expect((JSON.parse(status.stdout) as { nodes: NodeState[] }).nodes.map((node) => node.running)).toEqual([
        true,
        false,
        true,
      ]);
      const published = await runPix(['publish', 'price', '--id', 'while-2-is-down', '--price', '1', ...brokers]);
      expect({ code: published.code, stderr: published.stderr }).toEqual({ code: 0, stderr: '' });

      const restarted = await local('start', '--node', '2');
      expect(restarted.code).toBe(0);
      expect(restarted.stdout).toMatch(new RegExp(`^Kafka node 2 started at ${addresses[1]} \\(pid \\d+\\)\\n$`));
      const read = await runPix(['consume', 'price', '--from-beginning', '--exit', '--json', ...brokers]);
      expect(ndjson<{ event: { productId: string } }>(read.stdout).map((record) => record.event.productId)).toEqual([
        'while-2-is-down',
      ]);

      // Made with three nodes, it is not started as one.
      const single = await local('start', '--nodes', '1');
      expect(single.code).toBe(5);
      expect(single.stderr).toContain(`the local cluster on port ${port} was made with 3 nodes, not 1`);

      const stopped = await local('stop');
      expect(stopped.stdout.trimEnd().split('\n')).toEqual(
        addresses.map(
          (address, index) =>
            expect.stringMatching(
              new RegExp(`^stopped Kafka node ${index + 1} on ${address} \\(pid \\d+\\)$`),
            ) as string,
        ),
      );
      for (const each of [port, port + 2, port + 4]) expect(await accepts(each)).toBe(false);
    },
    START_BOUND_MS * 3,
  );
});
