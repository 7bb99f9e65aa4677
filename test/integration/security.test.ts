import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

import { describe, expect, it } from 'vitest';

import { brokerArg } from '../helpers/kafka.js';
import { runPix } from '../helpers/pix.js';
import { testFolder } from '../helpers/temp.js';

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

describe('TLS files and addresses', () => {
  /** A self-signed certificate for 127.0.0.1 and its key, made by openssl, in a folder of the test's. */
  function selfSigned(): { key: string; cert: string; folder: string } {
    const folder = testFolder('tls');
    const key = join(folder, 'key.pem');
    const cert = join(folder, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    return { key, cert, folder };
  }

  it('refuses a --tls-ca, --tls-cert or --tls-key that is not PEM at once, with exit 2', async () => {
    const { key, cert, folder } = selfSigned();
    const der = join(folder, 'file.der');
    writeFileSync(der, Buffer.from([0x30, 0x82, 0x01, 0x0a, 0x02, 0x82]));
    for (const [flag, files] of [
      ['tls-ca', ['--tls-ca', der]],
      ['tls-cert', ['--tls-cert', der, '--tls-key', key]],
      ['tls-key', ['--tls-cert', cert, '--tls-key', der]],
    ] as const) {
      const { code, stderr } = await runPix(['topics', 'list', '--brokers', '127.0.0.1:1', ...files]);
      expect(code).toBe(2);
      expect(stderr).toMatch(new RegExp(`^pix: error: ${flag}: .*file\\.der is not a PEM (certificate|private key)`));
    }
  });

  it('gives no TLS deprecation warning for a broker given as an IP address', async () => {
    const { key, cert } = selfSigned();
    // A TLS server that speaks no Kafka: the handshake completes, then it hangs up.
    const server = createTlsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (socket) => socket.destroy());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    try {
      for (const command of [
        ['publish', 'price', '--id', '1', '--price', '1'],
        ['topics', 'list'],
      ]) {
        const { code, stderr } = await runPix([
          ...command,
          '--brokers',
          `127.0.0.1:${port}`,
          '--tls-ca',
          cert,
          '--timeout',
          '2s',
        ]);
        expect(code).toBe(3);
        expect(stderr).not.toMatch(/DEP0123|DeprecationWarning|Warning:/);
      }
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
