import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { isIP, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

import { describe, expect, it } from 'vitest';

import { brokerArg, LONG_TIMEOUT, ONE_COMMAND_PER_KAFKA_PATH } from '../helpers/kafka.js';
import { runPix } from '../helpers/pix.js';
import { testFolder } from '../helpers/temp.js';

/** A self-signed certificate for `name` (an address or a host name) and its key, made by openssl. */
function selfSigned(name: string): { key: string; cert: string; folder: string } {
  const folder = testFolder('tls');
  const key = join(folder, 'key.pem');
  const cert = join(folder, 'cert.pem');
  const altName = isIP(name) === 0 ? `DNS:${name}` : `IP:${name}`;
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
      `/CN=${name}`,
    ].concat(['-addext', `subjectAltName=${altName}`]),
    { stdio: 'ignore' },
  );
  return { key, cert, folder };
}

/** A TLS server on 127.0.0.1 that speaks no Kafka: the handshake completes, then it hangs up. */
async function withTlsServer(
  files: { key: string; cert: string },
  use: (broker: string) => Promise<void>,
): Promise<void> {
  const server = createTlsServer({ key: readFileSync(files.key), cert: readFileSync(files.cert) }, (socket) =>
    socket.destroy(),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    await use(`127.0.0.1:${port}`);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
}

// The test broker listens in plain text: that it refuses this handshake shows the settings
// travel from the environment into the Kafka client.
describe('SASL and TLS settings', () => {
  it('SASL from the environment reaches the broker, whose refusal exits 3 with a clear line', async () => {
    const { code, stderr } = await runPix(['topics', 'list', ...brokerArg(), '--timeout', '3s'], {
      env: { PIX_SASL_MECHANISM: 'scram-sha-256', PIX_SASL_USERNAME: 'ci', PIX_SASL_PASSWORD: 'secret' },
    });
    expect(code).toBe(3);
    expect(stderr).toMatch(/^pix: error: the broker refused pix: .*SASL/);
    expect(stderr).not.toContain('secret');
  });
});

describe('TLS that cannot work', () => {
  it('against a plain-text listener fails at once with exit 3, saying to drop --tls', async () => {
    for (const command of ONE_COMMAND_PER_KAFKA_PATH) {
      const { code, stderr } = await runPix([...command, ...brokerArg(), '--tls', ...LONG_TIMEOUT]);
      expect({ command, code }).toEqual({ command, code: 3 });
      expect(stderr).toMatch(/^pix: error: broker \S+ closed the connection during the TLS handshake/m);
      expect(stderr).toContain('Drop --tls');
    }
  });

  it('to an untrusted certificate fails at once with exit 3, naming the problem and --tls-ca', async () => {
    const { key, cert } = selfSigned('127.0.0.1');
    await withTlsServer({ key, cert }, async (broker) => {
      for (const command of ONE_COMMAND_PER_KAFKA_PATH) {
        const { code, stderr } = await runPix([...command, '--brokers', broker, '--tls', ...LONG_TIMEOUT]);
        expect({ command, code }).toEqual({ command, code: 3 });
        expect(stderr).toContain(`pix: error: the certificate of broker ${broker} is not trusted: self-signed`);
        expect(stderr).toContain('--tls-ca');
      }
    });
  });

  it('to a certificate for another name fails at once with exit 3, saying which name to use', async () => {
    const { key, cert } = selfSigned('broker.example');
    await withTlsServer({ key, cert }, async (broker) => {
      for (const command of ONE_COMMAND_PER_KAFKA_PATH.slice(0, 2)) {
        const { code, stderr } = await runPix([...command, '--brokers', broker, '--tls-ca', cert, ...LONG_TIMEOUT]);
        expect({ command, code }).toEqual({ command, code: 3 });
        expect(stderr).toContain(`pix: error: the certificate of broker ${broker} is for another name`);
      }
    });
  });
});

describe('TLS files and addresses', () => {
  it('refuses a --tls-ca, --tls-cert or --tls-key that is not PEM at once, with exit 2', async () => {
    const { key, cert, folder } = selfSigned('127.0.0.1');
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
    const { key, cert } = selfSigned('127.0.0.1');
    await withTlsServer({ key, cert }, async (broker) => {
      for (const command of ONE_COMMAND_PER_KAFKA_PATH.slice(0, 2)) {
        const { code, stderr } = await runPix([...command, '--brokers', broker, '--tls-ca', cert, '--timeout', '2s']);
        expect(code).toBe(3);
        expect(stderr).not.toMatch(/DEP0123|DeprecationWarning|Warning:/);
        expect(stderr).not.toContain('certificate');
      }
    });
  });
});
