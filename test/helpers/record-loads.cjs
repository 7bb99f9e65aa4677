// Preloaded into a pix process by the start-up test: prints, at exit, which heavy modules it loaded.
// Modules imported from ESM still land in the CommonJS cache when they are CommonJS packages.
const heavy = ['kafkajs', 'blessed', 'blessed-contrib', 'ws', 'prom-client'];
process.on('exit', () => {
  const files = Object.keys(require.cache);
  const loaded = heavy.filter((name) => files.some((file) => file.includes(`/node_modules/${name}/`)));
  process.stderr.write(`\nHEAVY-MODULES:${loaded.join(',')}\n`);
});
