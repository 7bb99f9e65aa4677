import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { brokerArg, freshTopics, type FreshTopics } from '../helpers/kafka.js';
import { kcat } from '../helpers/kcat.js';
import { PIX_BIN, runPix } from '../helpers/pix.js';
import { TmuxSession } from '../helpers/tmux.js';

const PANES = ['events, newest first', 'events/s by type', 'counts, events/s', 'products, latest change first'];

describe('pix tui in a real terminal', () => {
  let topics: FreshTopics;
  const kafka = (): string[] => [...brokerArg(), '--topic-prefix', topics.prefix];

  beforeAll(async () => (topics = await freshTopics()));
  afterAll(async () => topics.cleanup());

  /** A shell in tmux that runs pix tui, then says how it exited and gives the prompt back. */
  function startTui(term: string, name: string, stderrFile: string): TmuxSession {
    const session = new TmuxSession(
      name,
      `env -i PATH="${process.env.PATH ?? ''}" HOME="${process.env.HOME ?? ''}" PS1='shell$ ' bash --norc --noprofile`,
      {
        width: 100,
        height: 30,
      },
    );
    session.sendKeys(
      `TERM=${term} NODE_ENV=production node ${PIX_BIN} tui ${kafka().join(' ')} --from-beginning 2>${stderrFile}; echo "pix exited $?"`,
      'Enter',
    );
    return session;
  }

  it('shows published events, pauses, fits 80×24 and quits cleanly with q', async () => {
    const stderrFile = join(mkdtempSync(join(tmpdir(), 'pix-tui-')), 'stderr');
    const session = startTui('xterm-256color', `pix-tui-${process.pid}`, stderrFile);
    try {
      let screen = await session.waitFor(/connected/, 20_000);
      for (const pane of PANES) expect(screen).toContain(pane);

      expect((await runPix(['publish', 'price', '--id', 'TUI-42', '--price', '19.99', ...kafka()])).code).toBe(0);
      screen = await session.waitFor(/TUI-42 +19\.99 USD/, 2_000);
      expect(screen).toMatch(/price +1 /);

      session.sendKeys('p');
      await session.waitFor(/PAUSED, 0 new/);
      expect((await runPix(['publish', 'discount', '--id', 'TUI-43', '--discount', '5', ...kafka()])).code).toBe(0);
      screen = await session.waitFor(/PAUSED, 1 new/, 5_000);
      expect(screen).not.toContain('TUI-43');
      session.sendKeys('p');
      screen = await session.waitFor(/TUI-43/, 2_000);
      expect(screen).not.toContain('PAUSED');

      session.resize(80, 24);
      screen = await session.waitFor(/q quit/);
      const lines = screen.split('\n');
      for (const pane of PANES) expect(screen).toContain(pane);
      expect(lines.every((line) => Array.from(line).length <= 80)).toBe(true);
      expect(screen).toMatch(/127\.0\.0\.1:\d+ │ connected/);
      expect(screen).not.toMatch(/Setulc|Error/);

      session.sendKeys('q');
      screen = await session.waitFor(/pix exited 0\s+shell\$/, 5_000);
      expect(screen).not.toContain('events, newest first');
      // Nothing went to stderr: no Setulc complaint from blessed about xterm-256color.
      expect(readFileSync(stderrFile, 'utf8')).toBe('');
    } finally {
      session.kill();
    }
  });

  it('filters by product and type, clears, and shows a malformed message in the status bar', async () => {
    const stderrFile = join(mkdtempSync(join(tmpdir(), 'pix-tui-')), 'stderr');
    const session = startTui('xterm', `pix-tui-keys-${process.pid}`, stderrFile);
    try {
      await session.waitFor(/connected/, 20_000);
      expect((await runPix(['publish', 'price', '--id', 'KEY-1', '--price', '7', ...kafka()])).code).toBe(0);
      expect((await runPix(['publish', 'discount', '--id', 'KEY-2', '--discount', '5', ...kafka()])).code).toBe(0);
      await session.waitFor(/KEY-2/, 5_000);
      expect((await kcat(['-P', '-t', topics.topics.of('price')], '{"broken": true\n')).code).toBe(0);
      await session.waitFor(/malformed 1/, 5_000);

      session.sendKeys('/');
      session.sendKeys('KEY-1', 'Enter');
      let screen = await session.waitFor(/product~KEY-1/);
      expect(screen).toMatch(/KEY-1 +7\.00 USD/);
      expect(screen).not.toContain('KEY-2');
      // Escape in the prompt leaves the filter as it was.
      session.sendKeys('/');
      await session.waitFor(/^(?![\s\S]*q quit)/);
      session.sendKeys('Escape');
      screen = await session.waitFor(/product~KEY-1 │ .*q quit/);
      session.sendKeys('t');
      await session.waitFor(/type=price/);
      session.sendKeys('?');
      await session.waitFor(/pix tui keys/);
      // Apart: Escape followed at once by c reads as Alt-c.
      session.sendKeys('Escape');
      await session.waitFor(/^(?![\s\S]*pix tui keys)/);
      session.sendKeys('c');
      screen = await session.waitFor(/malformed 0/);
      expect(screen).not.toMatch(/KEY-1 +7\.00/);
      expect(screen).toMatch(/price +0 /);

      session.sendKeys('C-c');
      await session.waitFor(/pix exited 0/, 5_000);
      expect(readFileSync(stderrFile, 'utf8')).toBe('');
    } finally {
      session.kill();
    }
  });

  it('refuses to run without a terminal, pointing to pix consume', async () => {
    const result = await runPix(['tui', ...brokerArg()]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('pix tui needs a terminal');
    expect(result.stderr).toContain('pix consume');
  });
});
