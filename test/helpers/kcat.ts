import { spawn } from 'node:child_process';

import { TEST_BROKERS } from './kafka.js';

/**
 * Runs Debian's kcat, the reference Kafka CLI, against the test broker, or against the cluster a
 * librdkafka configuration file names (`kcat -F`), or against other brokers.
 */
export function kcat(
  args: string[],
  input?: string | Buffer,
  { configFile, brokers }: { configFile?: string; brokers?: string } = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const cluster = configFile ? ['-F', configFile] : ['-b', brokers ?? TEST_BROKERS.join(',')];
    const child = spawn('kcat', [...cluster, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    // kcat reading a topic never reads its stdin and may have exited before the end is written:
    // that EPIPE says nothing, its exit code and stderr do.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}
