import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, onTestFinished } from 'vitest';

function make(prefix: string): { folder: string; remove: () => void } {
  const folder = mkdtempSync(join(tmpdir(), `pix-${prefix}-`));
  return { folder, remove: () => rmSync(folder, { recursive: true, force: true }) };
}

/** A temporary folder of the running test, removed when the test ends, passed or failed. */
export function testFolder(prefix: string): string {
  const { folder, remove } = make(prefix);
  onTestFinished(remove);
  return folder;
}

/** A temporary folder for a whole test file, made as it loads and removed after its last test. */
export function fileFolder(prefix: string): string {
  const { folder, remove } = make(prefix);
  afterAll(remove);
  return folder;
}
