import { afterEach, describe, expect, it } from 'vitest';

import { waitFor } from '../helpers/dashboard.js';
import { brokerArg } from '../helpers/kafka.js';
import { ndjson, runPix, startPix, type RunningPix } from '../helpers/pix.js';
import { freshClusterTopics, leaderOf, publishPrices as publish, startAllNodes, stopNode } from './cluster.js';

const NODES = [1, 2, 3];
/** The longest a reader may take to show what was published. */
const WAIT_MS = 120_000;
/** A test's own bound: its publishes (each bounded by --timeout 60s) and two waits for the reader fit in it. */
const TEST_MS = 2 * 60_000 + 2 * WAIT_MS + 60_000;

function shownIds(reader: RunningPix): string[] {
  return ndjson<{ event: { eventId: string } }>(reader.stdout()).map((line) => line.event.eventId);
}

/** Waits until the reader has shown every one of `ids`; if it does not, says how far it got and what it said. */
async function shown(reader: RunningPix, ids: readonly string[]): Promise<void> {
  let missing = ids.length;
  await waitFor(
    `${ids.length} events shown`,
    () => {
      const seen = new Set(shownIds(reader));
      missing = ids.filter((id) => !seen.has(id)).length;
      return missing === 0 ? true : undefined;
    },
    WAIT_MS,
  ).catch((error: unknown) => {
    throw new Error(
      `${(error as Error).message}: ${missing} of them not shown; the reader said: ${reader.stderr().slice(-2_000)}`,
    );
  });
}

describe('pix consume while the cluster fails', () => {
  afterEach(startAllNodes);

  it('--from-beginning goes on through a restart of the whole cluster, says so on stderr, and shows every event once', async () => {
    const prefix = await freshClusterTopics();
    const reader = startPix(
      ['consume', 'price', '--json', '--from-beginning', '--topic-prefix', prefix, ...brokerArg()],
      {
        killAfterMs: 240_000,
      },
    );
    try {
      const before = await publish(prefix, 'before', 100);
      await shown(reader, before);
      for (const node of NODES) await stopNode(node, 'kill');
      await waitFor(
        'the loss to be said',
        () => (reader.stderr().includes('lost the Kafka cluster') ? true : undefined),
        60_000,
      );
      // The brokers and what their sockets said, not "cannot reach … within --timeout": it waits on.
      expect(reader.stderr()).toMatch(
        /lost the Kafka cluster \(brokers? (127\.0\.0\.1:\d+(, )?)+: [^)]+\); reading goes on from where it stopped/,
      );
      await startAllNodes();
      // Published before the reader is back: it must not start from the end of the topics then.
      const after = await publish(prefix, 'after', 100);
      await shown(reader, after);
      expect(reader.stderr()).toContain('reading again, from the next event not yet shown');
      const all = shownIds(reader);
      expect(all.sort()).toEqual([...before, ...after].sort());

      // A bounded read after the restart ends at the end of the topics, every event once.
      const since = await runPix(
        ['consume', 'price', '--json', '--since', '1h', '--exit', '--topic-prefix', prefix, ...brokerArg()],
        { killAfterMs: 60_000 },
      );
      expect(since.code).toBe(0);
      expect(
        ndjson<{ event: { eventId: string } }>(since.stdout)
          .map((line) => line.event.eventId)
          .sort(),
      ).toEqual([...before, ...after].sort());
    } finally {
      reader.child.kill('SIGINT');
      await reader.finished;
    }
  });

  it(
    'a --group member across a SIGKILL of the leader shows every committed event, none missing',
    async () => {
      const prefix = await freshClusterTopics();
      const group = `resilience-${crypto.randomUUID().slice(0, 8)}`;
      const reader = startPix(
        ['consume', 'price', '--json', '--from-beginning', '--group', group, '--topic-prefix', prefix, ...brokerArg()],
        { killAfterMs: TEST_MS },
      );
      try {
        const first = await publish(prefix, 'first', 2_000);
        await shown(reader, first);
        const publishing = publish(prefix, 'second', 2_000);
        await stopNode(await leaderOf(`${prefix}product-price-update`), 'kill');
        const second = await publishing;
        await shown(reader, second);
        const all = shownIds(reader);
        // Within one run of the reader nothing is shown twice, and nothing committed is skipped.
        expect(all.sort()).toEqual([...first, ...second].sort());
      } finally {
        reader.child.kill('SIGINT');
        await reader.finished;
      }
    },
    TEST_MS,
  );
});
