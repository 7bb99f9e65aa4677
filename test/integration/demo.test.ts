import { describe, expect, it } from 'vitest';

import { openLive, waitReady } from '../helpers/dashboard.js';
import { brokerArg, deleteTopics, freshPrefix } from '../helpers/kafka.js';
import { runPix, startPix } from '../helpers/pix.js';
import { TopicNames } from '../../src/events/topics.js';

describe('pix demo', () => {
  it('creates the topics, simulates traffic, serves the dashboard, and stops on Ctrl-C', async () => {
    const prefix = freshPrefix();
    const demo = startPix(['demo', '--port', '0', '--rate', '100', ...brokerArg(), '--topic-prefix', prefix], {
      killAfterMs: 60_000,
    });
    try {
      const line = await demo.waitForStdout(/^pix dashboard: http/);
      expect(demo.stdout()).toContain(`topics ready: ${prefix}product-price-update`);
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(line)?.[1] ?? '';
      await waitReady(url);
      const live = await openLive(url);
      const frame = await live.next((candidate) =>
        candidate.events.some((event) => ['on-prem', 'cloud'].includes(event.event.origin)),
      );
      expect(frame.events[0]?.topic.startsWith(prefix)).toBe(true);
      live.close();
    } finally {
      demo.child.kill('SIGINT');
    }
    const finished = await demo.finished;
    expect({ code: finished.code, stderr: finished.stderr }).toEqual({ code: 130, stderr: '' });
    // The broker was there before the demo: the demo leaves it running.
    expect((await runPix(['topics', 'list', ...brokerArg()])).code).toBe(0);
    await deleteTopics(new TopicNames(prefix).list());
  });
});
