import { defineConfig } from 'vitest/config';

/** Tests that start pix, a browser or Prometheus against a real broker. */
const INTEGRATION = ['test/integration/**/*.test.ts', 'test/monitoring/**/*.test.ts'];

/**
 * npm test runs both projects. unit: the pure parts, with no broker, no build and no Java (npm run
 * test:unit, in seconds). integration: real processes against a real broker, which
 * test/broker-setup.ts starts when none answers. Faults on a three-node cluster of its own (npm
 * run test:resilience) and two sites bridged by MirrorMaker 2 (npm run test:sites) have configs of
 * their own.
 */
export default defineConfig({
  test: {
    pool: 'forks',
    maxWorkers: 2,
    // Real processes, and pure tests on a busy machine: room, not retries.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: [...INTEGRATION, 'test/resilience/**', 'test/sites/**', 'node_modules/**'],
          globalSetup: ['test/run-folder-setup.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: INTEGRATION,
          globalSetup: ['test/run-folder-setup.ts', 'test/broker-setup.ts'],
        },
      },
    ],
  },
});
