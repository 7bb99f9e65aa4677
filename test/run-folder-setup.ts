import { makeRunFolder, removeRunFolder } from './helpers/temp.js';

/**
 * A test run leaves nothing in the temporary folder: it gets one of its own (TMPDIR, which the
 * tests and every pix they start inherit), and what is left in it when the run ends is an error,
 * named, before the folder is removed; so is a file of unconfirmed events left here.
 */
export default function setup(): () => void {
  const runFolder = makeRunFolder('tests');
  return () => removeRunFolder(runFolder);
}
