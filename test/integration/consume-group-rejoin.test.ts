import { describe, expect, it } from 'vitest';

import { waitFor } from '../helpers/dashboard.js';
import { brokerArg, withFreshTopics } from '../helpers/kafka.js';
import { ndjson, runPix, startPix } from '../helpers/pix.js';

const consumeIn = (group: string, prefix: string, ...more: string[]) =>
  startPix(
    [
      'consume',
      'price',
      '--json',
      '--from-beginning',
      '--group',
      group,
      '--topic-prefix',
      prefix,
      ...more,
      ...brokerArg(),
    ],
    {
      killAfterMs: 120_000,
    },
  );

const publishPrice = (prefix: string, productId: string) =>
  runPix(['publish', 'price', '--id', productId, '--price', '1', '--topic-prefix', prefix, ...brokerArg()]);

const shows = (reader: ReturnType<typeof startPix>, productId: string) =>
  waitFor(
    `${productId} shown`,
    () =>
      ndjson<{ event: { productId: string } }>(reader.stdout()).some((line) => line.event.productId === productId)
        ? true
        : undefined,
    90_000,
  );

describe('pix consume --group after a member of the group was killed', () => {
  it('says it waits for the rebalance, fails naming it when --timeout passes first, and joins when it ends', async () => {
    await withFreshTopics({}, async (fresh) => {
      const group = `rejoin-${fresh.prefix.slice(5, 13)}`;
      const consume = (...more: string[]) => consumeIn(group, fresh.prefix, ...more);
      const publish = (productId: string) => publishPrice(fresh.prefix, productId);
      const first = consume();
      expect((await publish('before-the-kill')).code).toBe(0);
      await shows(first, 'before-the-kill');
      first.child.kill('SIGKILL'); // gone without leaving: the group waits for its session to time out
      await first.finished;

      const impatient = await consume('--timeout', '5s').finished;
      expect(impatient.code).toBe(3);
      expect(impatient.stderr).toContain(`group ${group} let no member in`);
      expect(impatient.stderr).toContain('--timeout 60s');

      const patient = consume('--timeout', '60s');
      try {
        expect((await publish('after-the-kill')).code).toBe(0);
        await shows(patient, 'after-the-kill');
        expect(patient.stderr()).toContain(`waiting to join group ${group}: a rebalance is under way`);
      } finally {
        patient.child.kill('SIGINT');
        await patient.finished;
      }
    });
  }, 150_000);

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'a member stopped by %s leaves the group: the next joins at once',
    async (signal) => {
      await withFreshTopics({}, async (fresh) => {
        const group = `leave-${fresh.prefix.slice(5, 13)}`;
        const first = consumeIn(group, fresh.prefix);
        expect((await publishPrice(fresh.prefix, 'one')).code).toBe(0);
        await shows(first, 'one');
        first.child.kill(signal);
        await first.finished;
        // Five seconds: far less than the session a member that did not leave would hold the group for.
        const next = consumeIn(group, fresh.prefix, '--timeout', '5s');
        try {
          expect((await publishPrice(fresh.prefix, 'two')).code).toBe(0);
          await shows(next, 'two');
          expect(next.stderr()).not.toContain('waiting to join');
        } finally {
          next.child.kill('SIGINT');
          await next.finished;
        }
      });
    },
  );
});
