import { afterEach, describe, expect, it } from 'vitest';

import { serveDashboard, waitFor, type DashboardProcess } from '../helpers/dashboard.js';
import { brokerArg } from '../helpers/kafka.js';
import { startPix } from '../helpers/pix.js';
import {
  countById,
  eventsOnTopics,
  expectGroupShowedEveryEvent,
  freshClusterTopics,
  leaderOf,
  outOfOrderProducts,
  productsBackInTime,
  startAllNodes,
  startGroupReader,
  stopNode,
} from './cluster.js';

function post(url: string, body: object): Promise<{ status: number; body: { error?: string } }> {
  return fetch(`${url}publish-event`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => ({ status: response.status, body: (await response.json()) as { error?: string } }));
}

/** pix serve-dashboard with its publish route, on the cluster, with this --timeout. */
function publishingDashboard(prefix: string, timeout: string, ...more: string[]): Promise<DashboardProcess> {
  return serveDashboard(['--enable-publish', '--topic-prefix', prefix, '--timeout', timeout, ...more, ...brokerArg()]);
}

describe('long-running publishers while brokers of a three-node cluster fail', () => {
  afterEach(startAllNodes);

  it('answers 200 to every POST /publish-event of four streams through a SIGKILL of the leader, each event once and in order', async () => {
    const prefix = await freshClusterTopics();
    const dashboard = await publishingDashboard(prefix, '60s');
    const reader = startGroupReader(prefix);
    try {
      let acknowledged = 0;
      const sent: string[] = [];
      const statuses: number[] = [];
      const stream = async (stream: number): Promise<void> => {
        for (let index = 0; index < 250; index += 1) {
          const eventId = crypto.randomUUID();
          sent.push(eventId);
          const reply = await post(dashboard.url, {
            type: 'price',
            eventId,
            productId: `http-${stream}-${index % 10}`,
            price: index,
          });
          statuses.push(reply.status);
          if (reply.status === 200) acknowledged += 1;
        }
      };
      const streams = Promise.all([0, 1, 2, 3].map(stream));
      await waitFor('a hundred events acknowledged', () => (acknowledged >= 100 ? true : undefined), 60_000);
      await stopNode(await leaderOf(`${prefix}product-price-update`), 'kill');
      await streams;
      expect(statuses.filter((status) => status !== 200)).toEqual([]);

      const events = await eventsOnTopics(prefix);
      const counts = countById(events);
      expect(sent.filter((id) => counts.get(id) !== 1)).toEqual([]);
      expect(events).toHaveLength(sent.length);
      expect(outOfOrderProducts(events)).toEqual([]);
      await expectGroupShowedEveryEvent(reader, events);
    } finally {
      await reader.stop();
      await dashboard.stop();
    }
  });

  it('takes a new producer epoch after a send it gave up (KIP-360): the next POST is published once the cluster is back', async () => {
    const prefix = await freshClusterTopics();
    const dashboard = await publishingDashboard(prefix, '3s', '--log-level', 'debug');
    try {
      const first = await post(dashboard.url, { type: 'price', productId: 'epoch', price: 1 });
      expect(first.status).toBe(200);
      // Two of three down: min.insync.replicas=2 cannot be met, and the send is given up.
      const leader = await leaderOf(`${prefix}product-price-update`);
      await stopNode(leader, 'kill');
      await stopNode(leader === 3 ? 2 : 3, 'kill');
      const lostId = crypto.randomUUID();
      const refused = await post(dashboard.url, { type: 'price', eventId: lostId, productId: 'epoch', price: 2 });
      expect(refused.status).toBe(503);
      expect(refused.body.error).toContain(lostId);

      await startAllNodes();
      const afterId = crypto.randomUUID();
      const after = await waitFor(
        'a POST to be published again',
        async () => {
          const reply = await post(dashboard.url, { type: 'price', eventId: afterId, productId: 'epoch', price: 3 });
          return reply.status === 200 ? reply : undefined;
        },
        120_000,
      );
      expect(after.status).toBe(200);
      expect(dashboard.pix.stderr()).toMatch(/producer id \d+ epoch 1, sequences from 0/);

      const events = await eventsOnTopics(prefix);
      const counts = countById(events);
      expect(counts.get(afterId)).toBe(1);
      // The one given up is there once if it was in doubt and landed, else not at all; never twice.
      const inDoubt = (refused.body.error ?? '').includes('in doubt');
      expect(inDoubt ? [0, 1] : [0]).toContain(counts.get(lostId) ?? 0);
    } finally {
      await dashboard.stop();
    }
  });

  it('publishes every event of pix simulate through five bounces of the leader (SIGTERM and SIGKILL in turn): exit 0, each once', async () => {
    const prefix = await freshClusterTopics();
    const count = 30_000;
    const reader = startGroupReader(prefix);
    const simulate = startPix(
      [
        'simulate',
        '--count',
        String(count),
        '--rate',
        '300',
        '--topic-prefix',
        prefix,
        '--timeout',
        '60s',
        ...brokerArg(),
      ],
      { killAfterMs: 290_000 },
    );
    try {
      for (let bounce = 0; bounce < 5; bounce += 1) {
        await stopNode(await leaderOf(`${prefix}product-price-update`), bounce % 2 === 0 ? 'kill' : 'term');
        await startAllNodes();
      }
      const finished = await simulate.finished;
      expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 0, stderr: '' });
      expect(finished.stdout).toContain(`published ${count} events`);
      const events = await eventsOnTopics(prefix);
      const counts = countById(events);
      expect(counts.size).toBe(count);
      expect([...counts.values()].filter((times) => times !== 1)).toEqual([]);
      expect(productsBackInTime(events)).toEqual([]);
      await expectGroupShowedEveryEvent(reader, events);
    } finally {
      await reader.stop();
    }
  }, 300_000);
});
