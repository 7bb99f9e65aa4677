'use strict';
// Loads the bundle of pix's quick start-up path with V8's code cache, which the build writes
// next to it: compiling the bundle is otherwise a tenth of a one-event run. A cache from another
// Node version is rejected by V8 and the bundle is compiled as usual.
const { readFileSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

const dir = path.join(__dirname, '..', 'dist', 'quick');
const bundle = path.join(dir, 'quick-start.cjs');
const cache = path.join(dir, 'quick-start.cache');

function load({ writeCache = false } = {}) {
  let cachedData;
  try {
    if (!writeCache) cachedData = readFileSync(cache);
  } catch {
    // built without a cache: compile
  }
  const source = `(function (exports, require, module, __filename, __dirname) {${readFileSync(bundle, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename: bundle, cachedData });
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dir);
  // After the bundle's top level has run, the cache holds the functions it compiled too.
  if (writeCache) writeFileSync(cache, script.createCachedData());
  return module.exports;
}

module.exports = { load };
if (require.main === module && process.argv[2] === '--write-cache') load({ writeCache: true });
