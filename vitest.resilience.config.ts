import { defineConfig } from 'vitest/config';

/**
 * The resilience suite (npm run test:resilience): faults on a real three-node cluster of its own.
 * One file at a time: a test that kills a node must not pull the floor from under another.
 */
export default defineConfig({
  test: {
    include: ['test/resilience/**/*.test.ts'],
    globalSetup: ['test/resilience/cluster-setup.ts'],
    testTimeout: 240_000,
    hookTimeout: 240_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
  },
});
