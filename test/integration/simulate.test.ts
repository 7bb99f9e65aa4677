import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, deleteTopics, freshTopics, messageCount, withFreshTopics } from '../helpers/kafka.js';
import { waitFor } from '../helpers/dashboard.js';
import { ndjson, runPix, PIX_BIN, startPix } from '../helpers/pix.js';
import { TmuxSession } from '../helpers/tmux.js';
import { testFolder } from '../helpers/temp.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';

type Event = { type: string; productId: string; eventId: string; occurredAt: string; [field: string]: unknown };

/** 300 events of 20 products from two sites, seed 7: run twice, it must give the same events. */
const SEEDED_RUN = [
  'simulate',
  '--count',
  '300',
  '--rate',
  '3000',
  '--products',
  '20',
  '--sites',
  'dc1,cloud',
  '--seed',
  '7',
];

describe('pix simulate', () => {
  let topics: Awaited<ReturnType<typeof freshTopics>>;
  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());
  const kafka = () => [...brokerArg(), '--topic-prefix', topics.prefix];

  const consumeAll = async (): Promise<Event[]> => {
    const { stdout } = await runPix(['consume', '--from-beginning', '--exit', '--json', ...kafka()]);
    return ndjson<{ event: Event }>(stdout).map((record) => record.event);
  };

  it('publishes --count events from the given sites and products, and says how many', async () => {
    const { code, stdout } = await runPix([...SEEDED_RUN, '--json', ...kafka()]);
    expect(code).toBe(0);
    const summary = JSON.parse(stdout) as { published: number; seed: number; byTopic: Record<string, number> };
    expect(summary).toMatchObject({ published: 300, seed: 7 });
    expect(Object.values(summary.byTopic).reduce((sum, count) => sum + count, 0)).toBe(300);
    const events = await consumeAll();
    expect(events).toHaveLength(300);
    expect(new Set(events.map((event) => event.origin))).toEqual(new Set(['dc1', 'cloud']));
    expect(events.every((event) => Number(event.productId) >= 1 && Number(event.productId) <= 20)).toBe(true);
  });

  it('replays the same stream for the same --seed', async () => {
    const again = await freshTopics();
    try {
      await runPix([...SEEDED_RUN, ...brokerArg(), '--topic-prefix', again.prefix]);
      const { stdout } = await runPix([
        'consume',
        '--from-beginning',
        '--exit',
        '--json',
        ...brokerArg(),
        '--topic-prefix',
        again.prefix,
      ]);
      const replay = ndjson<{ event: Event }>(stdout).map((record) => record.event);
      const withoutTime = (events: Event[]) =>
        events.map(({ occurredAt: _occurredAt, ...rest }) => JSON.stringify(rest)).sort();
      expect(withoutTime(replay)).toEqual(withoutTime(await consumeAll()));
    } finally {
      await again.cleanup();
    }
  });

  it('stops after --duration having published rate × duration events', async () => {
    const { code, stdout } = await runPix(['simulate', '--duration', '2s', '--rate', '100', '--json', ...kafka()]);
    expect(code).toBe(0);
    const { published, seconds } = JSON.parse(stdout) as { published: number; seconds: number };
    expect(seconds).toBeGreaterThanOrEqual(2);
    // The schedule is kept however busy the machine is (see pacing.test.ts).
    expect(published).toBe(200);
  });

  it('refuses a site that is not a site name', async () => {
    const { code, stderr } = await runPix(['simulate', '--count', '1', '--sites', 'on prem', ...kafka()]);
    expect(code).toBe(2);
    expect(stderr).toContain("sites: each must be a site name such as on-prem or cloud (got 'on prem')");
  });

  it('shows a progress line on a terminal and stops cleanly on Ctrl-C with the summary', async () => {
    const out = join(testFolder('tty'), 'exit');
    const env = `NODE_ENV=production NO_COLOR=1 PIX_BROKERS=${brokerArg()[1]} PIX_TOPIC_PREFIX=${topics.prefix}`;
    const session = new TmuxSession(
      `pix-sim-${process.pid}`,
      `${env} node ${PIX_BIN} simulate --rate 200; echo "exit=$?" > ${out}; sleep 30`,
    );
    try {
      await session.waitFor(/\d+ events {2}\d+ events\/s {2}\d+\.\ds/);
      session.sendKeys('C-c');
      const screen = await session.waitFor(/published \d+ events in/);
      expect(screen).not.toMatch(/events\/s {2}\d+\.\ds/);
      await expect.poll(() => readFileIfAny(out), { timeout: DEFAULT_TIMEOUT_MS }).toBe('exit=130\n');
    } finally {
      session.kill();
    }
  });

  it('exits 2 naming a topic deleted while it runs, with what was acknowledged and no word of input', async () => {
    await withFreshTopics({}, async ({ prefix, topics: mine }) => {
      const price = mine.of('price');
      const running = startPix(['simulate', '--rate', '200', ...brokerArg(), '--topic-prefix', prefix]);
      // A topic just made may not have its leader yet: that is asked again, as no count yet.
      await waitFor('simulated prices on their topic', () =>
        messageCount(price).then(
          (count) => (count > 0 ? true : undefined),
          () => undefined,
        ),
      );
      await deleteTopics([price]);
      const { code, stderr } = await running.finished;
      expect(code).toBe(2);
      expect(stderr).toMatch(
        new RegExp(`^pix: error: topic ${price.replaceAll('.', '\\.')} does not exist; [\\d,]+ events acknowledged`),
      );
      // The simulator reads no input: what it would have made next is not "input not read".
      expect(stderr).not.toContain('input');
      expect(stderr.trimEnd().split('\n')).toHaveLength(1);
    });
  });
});

describe('shell completion', () => {
  it('builds bash and zsh completion that know pix commands and flags', async () => {
    const cache = testFolder('complete');
    const { code } = await runPix(['autocomplete', '--refresh-cache'], { env: { XDG_CACHE_HOME: cache } });
    expect(code).toBe(0);
    const bash = readFileSync(join(cache, 'pix', 'autocomplete', 'functions', 'bash', 'pix.bash'), 'utf8');
    expect(bash).toContain('--from-beginning');
    expect(bash).toContain('publish:price');
    const zsh = readFileSync(join(cache, 'pix', 'autocomplete', 'functions', 'zsh', '_pix'), 'utf8');
    expect(zsh).toContain('simulate');
  });
});

function readFileIfAny(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}
