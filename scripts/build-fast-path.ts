import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';

import { eagerModuleBodies } from './eager-module-bodies.js';

/**
 * dist/cli/fast-path.bundle.cjs: the oclif-free path of `pix publish` (src/cli/fast-path.ts) as one
 * CommonJS file, which bin/pix.cjs loads without Node's ES module loader. kafkajs, prom-client and
 * the native CRC-32C stay outside: one event loads none of them. Its module bodies are compiled
 * with the file (scripts/eager-module-bodies.ts), so that Node's compile cache keeps them.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const { outputFiles } = await build({
  absWorkingDir: root,
  entryPoints: ['src/cli/fast-path.ts'],
  outfile: 'dist/cli/fast-path.bundle.cjs',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node22',
  minify: true,
  external: ['kafkajs', 'prom-client', '@node-rs/crc32'],
  // The sources find files beside them by import.meta.url, which CommonJS has not.
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
  write: false,
});
// With write: false esbuild makes no folder: `npm run build:fast-path` alone, before tsc, still works.
for (const { path, text } of outputFiles) {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, eagerModuleBodies(text));
}
