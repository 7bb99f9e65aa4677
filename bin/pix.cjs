#!/usr/bin/env node
'use strict';
// On a Node older than package.json's engines, say so in one line rather than fail on the first
// feature it lacks.
const [needMajor, needMinor] = /(\d+)\.(\d+)/.exec(require('../package.json').engines.node).slice(1).map(Number);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < needMajor || (major === needMajor && minor < needMinor)) {
  process.stderr.write(
    `pix: error: pix needs Node.js ${needMajor}.${needMinor} or newer; this is ${process.version} (see the README's quick start)\n`,
  );
  process.exit(1);
}

// Node keeps what it compiled of pix's modules (and oclif's) in its compile cache, in the
// folder NODE_COMPILE_CACHE names or the system's temporary folder: a later start skips
// compiling them. NODE_DISABLE_COMPILE_CACHE=1 turns it off.
require('node:module').enableCompileCache();

// Publishing from a script is the call pix gets most: a plain `pix publish <type> --flag value …`
// or `pix publish --file …` takes the fast path, without oclif and without Node's ES module loader
// (src/cli/fast-path.ts), in about half the time. Any other command line goes to oclif (run.js).
const argv = process.argv.slice(2);
const fast =
  argv[0] === 'publish' &&
  (['price', 'discount', 'country'].includes(argv[1]) || argv.some((arg) => /^--file(=|$)/.test(arg))) &&
  process.env.PIX_FAST_PATH !== 'off';

/** The fast path's bundle, or nothing when it was not built (then oclif does the work). */
function fastPath() {
  try {
    return require('../dist/cli/fast-path.bundle.cjs');
  } catch {
    return undefined;
  }
}

(async () => {
  if (fast && (await fastPath()?.publishWithoutOclif(argv))) return;
  await import('./run.js');
})();
