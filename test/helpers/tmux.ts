import { execFileSync } from 'node:child_process';
import { sleep } from '../../src/sleep.js';

/** A real terminal: a detached tmux session of the given size running one shell command. */
export class TmuxSession {
  readonly name: string;

  constructor(name: string, command: string, size = { width: 100, height: 30 }) {
    this.name = name;
    execFileSync('tmux', [
      'new-session',
      '-d',
      '-s',
      name,
      '-x',
      String(size.width),
      '-y',
      String(size.height),
      command,
    ]);
  }

  /** The screen as text; with colours, the SGR sequences that draw it as well (capture-pane -e). */
  capture(options: { colours?: boolean } = {}): string {
    const flags = options.colours ? ['-p', '-e'] : ['-p'];
    return execFileSync('tmux', ['capture-pane', ...flags, '-t', this.name], { encoding: 'utf8' });
  }

  /** The pane's title (OSC 0 and 2 set it) and whether its window heard a bell (BEL). */
  state(): { title: string; bell: boolean } {
    const [title = '', bell = ''] = execFileSync(
      'tmux',
      ['display-message', '-p', '-t', this.name, '#{pane_title}\t#{window_bell_flag}'],
      { encoding: 'utf8' },
    )
      .trimEnd()
      .split('\t');
    return { title, bell: bell === '1' };
  }

  /** Polls the screen until `pattern` shows, or fails with what the screen showed last. */
  async waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const screen = this.capture();
      if (pattern.test(screen)) return screen;
      if (Date.now() > deadline) throw new Error(`the screen never showed ${pattern}:\n${screen}`);
      await sleep(50);
    }
  }

  /** Types into the terminal: text, or tmux key names such as Enter, Escape and C-c. */
  sendKeys(...keys: string[]): void {
    execFileSync('tmux', ['send-keys', '-t', this.name, ...keys]);
  }

  resize(width: number, height: number): void {
    execFileSync('tmux', ['resize-window', '-t', this.name, '-x', String(width), '-y', String(height)]);
  }

  kill(): void {
    try {
      execFileSync('tmux', ['kill-session', '-t', this.name], { stdio: 'ignore' });
    } catch {
      // Already gone: the command ended and took the session with it.
    }
  }
}
