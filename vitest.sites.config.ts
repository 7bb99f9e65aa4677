import { defineConfig } from 'vitest/config';

/**
 * The two-site suite (npm run test:sites): two real local clusters, on-prem and cloud, bridged by
 * Kafka's own MirrorMaker 2. One file at a time: the mirror is one process both sites share.
 */
export default defineConfig({
  test: {
    include: ['test/sites/**/*.test.ts'],
    globalSetup: ['test/sites/sites-setup.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
