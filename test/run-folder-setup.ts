import { makeRunFolder, removeRunFolder } from './helpers/temp.js';

/**
 * A test run leaves nothing in the temporary folder: it gets one of its own (TMPDIR, which the
 * tests and every pix they start inherit), and what is left in it when the run ends is an error,
 * named, before the folder is removed; so is a file of unconfirmed events left here. Both
 * projects name this setup; when they run together, the first makes the folder for both.
 */
export default function setup(): () => void {
  if (process.env.PIX_TEST_RUN_FOLDER !== undefined) return () => undefined;
  const runFolder = makeRunFolder('tests');
  process.env.PIX_TEST_RUN_FOLDER = runFolder;
  return () => {
    removeRunFolder(runFolder);
    delete process.env.PIX_TEST_RUN_FOLDER;
  };
}
