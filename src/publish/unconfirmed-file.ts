import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

import { HEADERS } from '../events/codec.js';
import type { UnconfirmedEvent } from '../kafka/index.js';

/** pix's own headers: derived from the event again when it is published, so not written here. */
const OWN_HEADERS = new Set<string>(Object.values(HEADERS));

/**
 * The events a failed publish could not confirm, one a line in the shape of `pix consume --json`
 * with a "status" ("in-doubt" or "not-published"), so `pix publish --file` takes the file as it
 * is, and `jq 'select(.status == "not-published")'` picks what is surely not on the topics. Each
 * keeps its eventId: a consumer that drops what it has seen once is safe to receive both.
 * Opened with the first event: a publish that fails with nothing unconfirmed writes nothing.
 */
export class UnconfirmedFile {
  private stream: WriteStream | undefined;
  written = 0;
  /** Why the file could not be written, if it could not: the failure is still reported, with this. */
  error: Error | undefined;

  constructor(readonly path: string) {}

  async add({ status, record }: UnconfirmedEvent): Promise<void> {
    if (this.error) return;
    if (!this.stream) {
      // wx: a file already there (an earlier failure's) is never written over.
      this.stream = createWriteStream(this.path, { flags: 'wx' });
      this.stream.on('error', (error) => (this.error ??= error));
    }
    const headers = Object.fromEntries(Object.entries(record.headers).filter(([name]) => !OWN_HEADERS.has(name)));
    const line = `{"status":"${status}","key":${JSON.stringify(record.key)},"headers":${JSON.stringify(headers)},"event":${record.value}}\n`;
    this.written += 1;
    if (!this.stream.write(line))
      await once(this.stream, 'drain').catch((error: unknown) => (this.error ??= error as Error));
  }

  /** Flushes and closes the file, if one was opened. */
  async close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    this.stream = undefined;
    if (this.error) {
      stream.destroy();
      return;
    }
    await new Promise<void>((resolve) => stream.end(() => resolve()));
  }
}

/** The default name: in the current folder, by time, so two failed runs never share one. */
export function defaultUnconfirmedPath(now = new Date()): string {
  return `pix-unconfirmed-${now.toISOString().replace(/[:.]/g, '-')}.ndjson`;
}
