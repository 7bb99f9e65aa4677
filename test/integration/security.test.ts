import { describe, expect, it } from 'vitest';

import { brokerArg } from '../helpers/kafka.js';
import { runPix } from '../helpers/pix.js';

// The test broker listens in plain text: that it refuses these handshakes shows the settings
// travel from flags and environment into the Kafka client.
describe('SASL and TLS settings', () => {
  it('SASL from the environment reaches the broker, whose refusal exits 3 with a clear line', async () => {
    const { code, stderr } = await runPix(['topics', 'list', ...brokerArg(), '--timeout', '3s'], {
      env: { PIX_SASL_MECHANISM: 'scram-sha-256', PIX_SASL_USERNAME: 'ci', PIX_SASL_PASSWORD: 'secret' },
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(/^pix: error: the broker refused pix: .*SASL/);
    expect(stderr).not.toContain('secret');
  });

  it('TLS from a flag reaches the broker: a plain-text listener never completes the handshake', async () => {
    const { code, stderr } = await runPix(['topics', 'list', ...brokerArg(), '--tls', '--timeout', '2s']);
    expect(code).toBe(3);
    expect(stderr).toMatch(/^pix: error: cannot reach Kafka broker .* within 2s/);
  });
});
