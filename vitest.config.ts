import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Faults on a three-node cluster of its own (npm run test:resilience); two sites bridged by
    // MirrorMaker 2 (npm run test:sites).
    exclude: ['test/resilience/**', 'test/sites/**', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    // Integration tests start real processes against a real broker: give them room, not retries.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
