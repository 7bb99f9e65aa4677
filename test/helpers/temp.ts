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
 * inherit. Node's compile cache (pix, tsc and prettier enable it) goes into it too, under a name of
 * its own, rather than into the folders a test gives a pix as its TMPDIR and expects empty.
 */
export function makeRunFolder(prefix: string): string {
  const runFolder = mkdtempSync(join(tmpdir(), `pix-${prefix}-`));
  process.env.TMPDIR = runFolder;
  process.env.NODE_COMPILE_CACHE = join(runFolder, COMPILE_CACHE);
  return runFolder;
}

/**
 * For a test run's teardown: removes the run's temporary folder, and makes the run fail, naming
 * them, when anything was left in it (but for Node's compile cache), or a file of unconfirmed events (a failed publish writes one
 * to the current folder unless told otherwise) was left here. vitest reports an error thrown in a
 * teardown and still exits 0: the exit code says it instead.
 */
export function removeRunFolder(runFolder: string): void {
  const left = [
    ...readdirSync(runFolder).filter((name) => name !== COMPILE_CACHE),
    ...readdirSync('.').filter((name) => name.startsWith('pix-unconfirmed-')),
  ];
  rmSync(runFolder, { recursive: true, force: true });
  if (left.length > 0) {
    process.stderr.write(`\nerror: the tests left these behind: ${left.join(', ')}\n`);
    process.exitCode = 1;
  }
}
