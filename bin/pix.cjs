#!/usr/bin/env node
'use strict';
// Publishing from a script is the call pix gets most: a plain `pix publish <type> --flag value …`
// or `pix publish --file …` starts without oclif and without Node's ES module loader
// (src/publish/quick-start.ts), in about half the time. Any other command line goes to oclif (run.js).
const argv = process.argv.slice(2);
const quick =
  argv[0] === 'publish' &&
  (['price', 'discount', 'country'].includes(argv[1]) || argv.some((arg) => /^--file(=|$)/.test(arg))) &&
  process.env.PIX_QUICK_START !== 'off';

/** The quick path's bundle, or nothing when it was not built (then oclif does the work). */
function quickStart() {
  try {
    return require('./quick-start.cjs').load();
  } catch {
    return undefined;
  }
}

(async () => {
  if (quick && (await quickStart()?.publishWithoutOclif(argv))) return;
  await import('./run.js');
})();
