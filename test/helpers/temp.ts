import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, onTestFinished } from 'vitest';

const COMPILE_CACHE = 'node-compile-cache';

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

/**
 * The temporary folder of a whole test run: TMPDIR, which the tests and every pix they start
 * inherit. Node's compile cache (pix, tsc and prettier enable it) stays where Node keeps it when
 * TMPDIR is not moved, in the system's temporary folder: vitest's workers write to it as they
 * exit, which can be after the run folder is gone, and the folders a test gives a pix as its
 * TMPDIR stay empty.
 */
export function makeRunFolder(prefix: string): string {
  process.env.NODE_COMPILE_CACHE ??= join(tmpdir(), COMPILE_CACHE);
  const runFolder = mkdtempSync(join(tmpdir(), `pix-${prefix}-`));
  process.env.TMPDIR = runFolder;
  return runFolder;
}

/**
 * For a test run's teardown: removes the run's temporary folder, and makes the run fail, naming
 * them, when anything was left in it, or a file of unconfirmed events (a failed publish writes one
 * to the current folder unless told otherwise) was left here. vitest reports an error thrown in a
 * teardown and still exits 0: the exit code says it instead.
 */
export function removeRunFolder(runFolder: string): void {
  const left = [...readdirSync(runFolder), ...readdirSync('.').filter((name) => name.startsWith('pix-unconfirmed-'))];
  rmSync(runFolder, { recursive: true, force: true });
  if (left.length > 0) {
    process.stderr.write(`\nerror: the tests left these behind: ${left.join(', ')}\n`);
    process.exitCode = 1;
  }
}
