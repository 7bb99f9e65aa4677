#!/usr/bin/env node
'use strict';
// Node keeps what it compiled of pix's modules (and oclif's) in its compile cache, in the
// folder NODE_COMPILE_CACHE names or the system's temporary folder: a later start skips
// compiling them. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
require('node:module').enableCompileCache();

// kafkajs 2.2.4, its last release, arms a timer for "throttled until − now" while it is not
// throttled, a negative delay: Node ≥ 23 warns on stderr (TimeoutNegativeWarning) and waits 1 ms,
// which is what Node 22 did silently (https://github.com/tulios/kafkajs/issues/1751). Only that
// warning from kafkajs is dropped; every other warning, pix's own timers' included, is shown.
const emitWarning = process.emitWarning;
process.emitWarning = function (warning, ...rest) {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  if (type === 'TimeoutNegativeWarning' && /[\\/]kafkajs[\\/]/.test(new Error().stack ?? '')) return;
  return emitWarning.call(process, warning, ...rest);
};

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
    return require('../dist/quick/quick-start.cjs');
  } catch {
    return undefined;
  }
}

(async () => {
  if (quick && (await quickStart()?.publishWithoutOclif(argv))) return;
  await import('./run.js');
})();
