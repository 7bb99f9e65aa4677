import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { MAX_IN_FLIGHT_PER_CONNECTION } from '../../src/kafka/wire/producer.js';
import { waitFor } from '../helpers/dashboard.js';
import { brokerArg, messageCount, TEST_BROKERS } from '../helpers/kafka.js';
import { startKafkaProxy } from '../helpers/kafka-proxy.js';
import { runPix, startPix, type Finished, type RunningPix } from '../helpers/pix.js';
import { testFolder } from '../helpers/temp.js';
import {
  countById,
  freshClusterTopics,
  eventLines,
  eventsOnTopics,
  expectGroupShowedEveryEvent,
  leaderOf,
  outOfOrderProducts,
  settledTopics,
  startAllNodes,
  startGroupReader,
  stopNode,
  type TopicEvent,
} from './cluster.js';

const EVENTS = 200_000;

/** A file of EVENTS events with eventIds, in a folder of the test. */
function eventFile(): { path: string; ids: string[]; folder: string } {
  const folder = testFolder('resilience');
  const { text, ids } = eventLines(EVENTS);
  const path = join(folder, 'events.ndjson');
  writeFileSync(path, text);
  return { path, ids, folder };
}

/**
 * Waits until `count` events of the price topic are written: the publish is well under way. A
 * publish that ended before is a failure, with what it said.
 */
async function underWay(prefix: string, count: number, publish: RunningPix): Promise<void> {
  let ended: Finished | undefined;
  void publish.finished.then((finished) => (ended = finished));
  await waitFor(
    `${count} events on the price topic`,
    async () => {
      if (ended) throw new Error(`the publish ended first: exit ${ended.code}, ${ended.stderr}`);
      return (await messageCount(`${prefix}product-price-update`)) >= count ? true : undefined;
    },
    60_000,
  );
}

/**
 * A publish that exited 0 having published every event, each on the topics once, each product in
 * order; returns the events on the topics.
 */
async function expectEveryEventOnceInOrder(
  finished: Finished,
  prefix: string,
  ids: readonly string[],
): Promise<TopicEvent[]> {
  expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 0, stderr: '' });
  expect(finished.stdout).toContain(`published ${EVENTS} events`);
  const events = await eventsOnTopics(prefix);
  const counts = countById(events);
  expect(ids.filter((id) => counts.get(id) !== 1)).toEqual([]);
  expect(events).toHaveLength(EVENTS);
  expect(outOfOrderProducts(events)).toEqual([]);
  return events;
}

interface UnconfirmedLine {
  status: 'in-doubt' | 'not-published';
  event: { eventId: string };
}

describe('pix publish --file while brokers of a three-node cluster fail', () => {
  afterEach(startAllNodes);

  it('goes on through a SIGKILL of the leader it writes to: exit 0, every event on the topics once, each product in order', async () => {
    const prefix = await freshClusterTopics();
    const { path, ids } = eventFile();
    const reader = startGroupReader(prefix);
    try {
      const publish = startPix(
        ['publish', '--file', path, '--topic-prefix', prefix, '--timeout', '60s', ...brokerArg()],
        { killAfterMs: 180_000 },
      );
      await underWay(prefix, 5_000, publish);
      await stopNode(await leaderOf(`${prefix}product-price-update`), 'kill');
      await expectGroupShowedEveryEvent(reader, await expectEveryEventOnceInOrder(await publish.finished, prefix, ids));
    } finally {
      await reader.stop();
    }
  });

  it('exits 3 when two of three fail, says three counts that add up, and a republish of the rest leaves every event there once', async () => {
    const prefix = await freshClusterTopics();
    const { path, ids, folder } = eventFile();
    const unconfirmedPath = join(folder, 'unconfirmed.ndjson');
    const publish = startPix(
      [
        'publish',
        '--file',
        path,
        '--topic-prefix',
        prefix,
        '--timeout',
        '5s',
        '--unconfirmed-file',
        unconfirmedPath,
        ...brokerArg(),
      ],
      { killAfterMs: 120_000 },
    );
    await underWay(prefix, 5_000, publish);
    // With two of three down, no write reaches min.insync.replicas=2.
    const leader = await leaderOf(`${prefix}product-price-update`);
    await stopNode(leader, 'kill');
    await stopNode(leader === 3 ? 2 : 3, 'kill');
    const finished = await publish.finished;
    expect(finished.code).toBe(3);
    const said = /(\d+) events? acknowledged, (?:(\d+) in doubt \([^)]*\), )?(\d+) not published/.exec(finished.stderr);
    expect({ said: said !== null, stderr: finished.stderr }).toMatchObject({ said: true });
    const [acknowledged, inDoubt, notPublished] = [said?.[1], said?.[2] ?? '0', said?.[3]].map(Number);
    expect((acknowledged ?? 0) + (inDoubt ?? 0) + (notPublished ?? 0)).toBe(EVENTS);
    expect(finished.stderr).toContain(unconfirmedPath);

    const unconfirmed = readFileSync(unconfirmedPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as UnconfirmedLine);
    expect(unconfirmed.filter((line) => line.status === 'in-doubt')).toHaveLength(inDoubt ?? -1);
    expect(unconfirmed.filter((line) => line.status === 'not-published')).toHaveLength(notPublished ?? -1);

    await startAllNodes();
    await settledTopics(prefix);
    const before = countById(await eventsOnTopics(prefix));
    // Acknowledged: there; not published: surely not there; in doubt: there or not, never twice.
    const unconfirmedIds = new Set(unconfirmed.map((line) => line.event.eventId));
    expect(ids.filter((id) => !unconfirmedIds.has(id) && before.get(id) !== 1)).toEqual([]);
    expect(unconfirmed.filter((line) => line.status === 'not-published' && before.has(line.event.eventId))).toEqual([]);
    expect([...before.values()].filter((count) => count > 1)).toEqual([]);

    // What a script does next: publish again what is not there, from the file pix wrote.
    const missing = readFileSync(unconfirmedPath, 'utf8')
      .split('\n')
      .filter((line) => line && !before.has((JSON.parse(line) as UnconfirmedLine).event.eventId));
    const again = join(folder, 'again.ndjson');
    writeFileSync(again, `${missing.join('\n')}\n`);
    const republished = await runPix(['publish', '--file', again, '--topic-prefix', prefix, ...brokerArg()], {
      killAfterMs: 120_000,
    });
    expect({ code: republished.code, stderr: republished.stderr }).toEqual({ code: 0, stderr: '' });
    const after = countById(await eventsOnTopics(prefix));
    expect(ids.filter((id) => after.get(id) !== 1)).toEqual([]);
    expect(after.size).toBe(EVENTS);
  });

  it('goes on behind a proxy that black-holes the first bootstrap broker, drops connections with requests in flight, delays answers and silences the leader', async () => {
    const PRODUCE = 0;
    const prefix = await freshClusterTopics();
    const { path, ids } = eventFile();
    const proxy = await startKafkaProxy(TEST_BROKERS);
    // Reads from the brokers themselves, not through the proxy: the faults are the publisher's.
    const reader = startGroupReader(prefix);
    // The first broker pix is given takes the connection and never answers: pix goes on to the next.
    proxy.blackHole(0, true);
    const publish = startPix(
      ['publish', '--file', path, '--topic-prefix', prefix, '--timeout', '40s', '--brokers', proxy.brokers.join(',')],
      { killAfterMs: 180_000 },
    );
    try {
      // Events acknowledged by the others: pix went past the silent one (its partitions wait for it).
      await underWay(prefix, 500, publish);
      expect(proxy.lost(0)).toBeGreaterThan(0);
      proxy.blackHole(0, false);
      proxy.dropConnections();
      await underWay(prefix, 10_000, publish);
      proxy.delayAnswers(300);
      await underWay(prefix, 20_000, publish);
      expect(proxy.maxInFlight(PRODUCE)).toBeLessThanOrEqual(MAX_IN_FLIGHT_PER_CONNECTION);
      // The leader goes silent with requests in flight: they, or their answers, are lost, and they
      // are tried again after it is back. Answers are still held, so the publish is surely not
      // over when the silence begins.
      const silenced = (await leaderOf(`${prefix}product-price-update`)) - 1;
      const lostBefore = proxy.lost(silenced);
      proxy.blackHole(silenced, true);
      await waitFor('produce requests to be lost', () => (proxy.lost(silenced) >= lostBefore + 3 ? true : undefined));
      proxy.blackHole(silenced, false);
      proxy.delayAnswers(0);

      await expectGroupShowedEveryEvent(reader, await expectEveryEventOnceInOrder(await publish.finished, prefix, ids));
    } finally {
      // A publish left running when the test failed would go on to write its unconfirmed file.
      publish.child.kill('SIGKILL');
      await reader.stop();
      await proxy.close();
    }
  });
});
