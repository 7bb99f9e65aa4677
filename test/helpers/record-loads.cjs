// Preloaded into a pix process by the start-up test: prints, at exit, which heavy modules it loaded
// (kafkajs counts when its client is loaded, not only its table of Kafka's error codes) and whether
// oclif was. Modules imported from ESM still land in the CommonJS cache when they are CommonJS.
const entries = {
  kafkajs: '/node_modules/kafkajs/index.js',
  blessed: '/node_modules/blessed/',
  'blessed-contrib': '/node_modules/blessed-contrib/',
  ws: '/node_modules/ws/',
  'prom-client': '/node_modules/prom-client/',
};
process.on('exit', () => {
  const files = Object.keys(require.cache);
  const loaded = Object.keys(entries).filter((name) => files.some((file) => file.includes(entries[name])));
  const oclif = files.some((file) => file.includes('/node_modules/@oclif/core/'));
  process.stderr.write(`\nHEAVY-MODULES:${loaded.join(',')}\nOCLIF:${oclif ? 'yes' : 'no'}\n`);
});
