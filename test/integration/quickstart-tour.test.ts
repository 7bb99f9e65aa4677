import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { brokerArg, TEST_BROKERS, withFreshTopics } from '../helpers/kafka.js';
import { pixEnv, runPix } from '../helpers/pix.js';

const TOUR = fileURLToPath(new URL('../../scripts/quickstart.sh', import.meta.url));

/** Runs the tour that `npm run quickstart` runs after building, as its shell runs it. */
function tour(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('sh', [TOUR], { env: pixEnv(env) });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const killer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm run quickstart', () => {
  it('reads back the price it published, not one already on the topic', async () => {
    await withFreshTopics({}, async (fresh) => {
      const older = await runPix([
        'publish',
        'price',
        '--id',
        '123',
        '--price',
        '1.25',
        ...brokerArg(),
        '--topic-prefix',
        fresh.prefix,
      ]);
      expect(older.code).toBe(0);
      const port = (TEST_BROKERS[0] ?? '').split(':')[1] ?? '9092';
      const result = await tour({
        PIX_BROKERS: TEST_BROKERS.join(','),
        PIX_TOPIC_PREFIX: fresh.prefix,
        PIX_LOCAL_PORT: port,
      });
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const lines = result.stdout.trim().split('\n');
      expect(lines.at(-2)).toMatch(
        new RegExp(`^price 123 → ${fresh.topics.of('price').replaceAll('.', '\\.')}\\[\\d\\]@1$`),
      );
      expect(lines.at(-1)).toMatch(/ price +123 +9\.99 USD$/);
      expect(result.stdout).not.toContain('1.25');
    });
  }, 150_000);
});
