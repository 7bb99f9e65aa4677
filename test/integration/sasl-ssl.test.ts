import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PixEvent } from '../../src/events/schema.js';
import { START_BOUND_MS, STOP_BOUND_MS } from '../../src/local/local-broker.js';
import { DEFAULT_TIMEOUT_MS } from '../../src/settings.js';
import { eventsOf, openLive, serveDashboard, waitReady } from '../helpers/dashboard.js';
import { LONG_TIMEOUT, ONE_COMMAND_PER_KAFKA_PATH } from '../helpers/kafka.js';
import { kcat } from '../helpers/kcat.js';
import { ndjson, PIX_BIN, runPix } from '../helpers/pix.js';
import { freePorts } from '../helpers/ports.js';
import { fileFolder, testFolder } from '../helpers/temp.js';
import { TmuxSession } from '../helpers/tmux.js';

interface ClientSettings {
  envFile: string;
  kcatConfigFile: string;
  caFile: string;
  username: string;
}

/** The variables of a `NAME='value'` file, as `set -a; . FILE; set +a` loads them. */
function envFileVariables(file: string): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const match = /^([A-Z_]+)='([^']*)'$/.exec(line);
    if (match) variables[match[1] as string] = match[2] as string;
  }
  return variables;
}

const modeOf = (file: string): number => statSync(file).mode & 0o777;

describe('a SASL_SSL cluster: pix local start --security sasl-ssl', () => {
  const state = fileFolder('sasl-state');
  let port = 0;
  let clientSettings: ClientSettings;
  /** The settings pix's clients get from the file `pix local start` wrote. */
  let settings: Record<string, string>;
  const local = (...args: string[]) =>
    runPix(['local', ...args, '--port', String(port)], { env: { PIX_STATE_DIR: state }, killAfterMs: START_BOUND_MS });

  beforeAll(async () => {
    port = await freePorts(2);
    const started = await local('start', '--security', 'sasl-ssl', '--heap', '320m', '--json');
    if (started.code !== 0) throw new Error(`pix local start --security sasl-ssl failed: ${started.stderr}`);
    const cluster = JSON.parse(started.stdout) as { security: string; clientSettings: ClientSettings };
    clientSettings = cluster.clientSettings;
    settings = envFileVariables(clientSettings.envFile);
  }, START_BOUND_MS + 10_000);

  afterAll(async () => {
    if (port) await local('stop');
  }, STOP_BOUND_MS * 2);

  it('says where the settings are and never the password, in files only their owner reads', async () => {
    const started = await local('start', '--json');
    expect(JSON.parse(started.stdout)).toMatchObject({ started: false, security: 'sasl-ssl' });
    expect(settings).toMatchObject({
      PIX_BROKERS: `127.0.0.1:${port}`,
      PIX_TLS_CA: clientSettings.caFile,
      PIX_SASL_MECHANISM: 'scram-sha-512',
      PIX_SASL_USERNAME: 'pix',
    });
    const password = settings.PIX_SASL_PASSWORD ?? '';
    expect(password.length).toBeGreaterThanOrEqual(16);
    const status = await local('status');
    expect(status.stdout).toContain(
      `SASL_SSL: log in as pix; pix's settings: set -a; . ${clientSettings.envFile}; set +a`,
    );
    expect(status.stdout).toContain(`kcat -F ${clientSettings.kcatConfigFile}`);
    expect(status.stdout).not.toContain(password);
    const home = join(state, `kafka-${port}`);
    for (const file of [clientSettings.envFile, clientSettings.kcatConfigFile, join(home, 'server.properties')]) {
      expect({ file, mode: modeOf(file).toString(8) }).toEqual({ file, mode: '600' });
    }

    // A cluster keeps what it was made as: asking for plain text names the difference.
    const plain = await local('start', '--security', 'plaintext');
    expect(plain.code).toBe(5);
    expect(plain.stderr).toContain(`the local cluster on port ${port} was made with security sasl-ssl, not plaintext`);
  });

  for (const mechanism of ['scram-sha-512', 'scram-sha-256', 'plain']) {
    it(`creates topics, publishes one event and a file, and feeds consume, the dashboard and the TUI by ${mechanism}`, async () => {
      const env = { ...settings, PIX_SASL_MECHANISM: mechanism, PIX_TOPIC_PREFIX: `${mechanism}.` };
      const created = await runPix(['topics', 'create'], { env });
      expect({ code: created.code, stdout: created.stdout }).toEqual({
        code: 0,
        stdout: expect.stringContaining(`created  ${mechanism}.product-price-update`) as string,
      });

      const dashboard = await serveDashboard([], env);
      const stderrFile = join(testFolder('sasl-tui'), 'stderr');
      const assignments = Object.entries(env)
        .map(([name, value]) => `${name}='${value}'`)
        .join(' ');
      const tui = new TmuxSession(
        `pix-sasl-${mechanism}-${process.pid}`,
        `${assignments} NODE_ENV=production NO_COLOR=1 node ${PIX_BIN} tui 2>${stderrFile}; echo "pix exited $?"; sleep 30`,
      );
      try {
        await waitReady(dashboard.url);
        const live = await openLive(dashboard.url);
        await tui.waitFor(/│ connected │/, 2 * DEFAULT_TIMEOUT_MS);

        const one = await runPix(['publish', 'price', '--id', `${mechanism}-one`, '--price', '7'], { env });
        expect({ code: one.code, stderr: one.stderr }).toEqual({ code: 0, stderr: '' });
        await live.next((frame) => eventsOf(frame, `${mechanism}-one`).length > 0);
        live.close();
        await tui.waitFor(new RegExp(`${mechanism}-one +7\\.00 USD`), DEFAULT_TIMEOUT_MS);

        const lines = Array.from({ length: 2_000 }, (_, index) =>
          JSON.stringify({ type: 'discount', productId: `${mechanism}-${index}`, discount: 5 }),
        );
        const bulk = await runPix(['publish', '--file', '-'], { env, input: `${lines.join('\n')}\n` });
        expect({ code: bulk.code, stderr: bulk.stderr }).toEqual({ code: 0, stderr: '' });

        const consumed = await runPix(['consume', '--from-beginning', '--exit', '--json'], { env });
        expect(consumed.code).toBe(0);
        const events = ndjson<{ event: PixEvent; topic: string }>(consumed.stdout);
        expect(new Set(events.map(({ event }) => event.eventId)).size).toBe(2_001);
        const prices = events.filter(({ topic }) => topic === `${mechanism}.product-price-update`);
        expect(prices.map(({ event }) => event)).toEqual([
          expect.objectContaining({ productId: `${mechanism}-one`, price: 7 }),
        ]);

        await tui.waitFor(/│total +2001 /, DEFAULT_TIMEOUT_MS);
        tui.sendKeys('q');
        await tui.waitFor(/pix exited 0/, 2 * DEFAULT_TIMEOUT_MS);
        expect(readFileSync(stderrFile, 'utf8')).toBe('');
      } finally {
        tui.kill();
        const stopped = await dashboard.stop();
        expect(stopped.stderr).toBe('');
      }
    }, 120_000);
  }

  it('is readable by kcat, logging in by PLAIN, for what pix published by SCRAM', async () => {
    const env = { ...settings, PIX_TOPIC_PREFIX: 'kcat.' };
    expect((await runPix(['topics', 'create'], { env })).code).toBe(0);
    expect((await runPix(['publish', 'country', '--id', 'for-kcat', '--country', 'FR'], { env })).code).toBe(0);
    const read = await kcat(['-C', '-t', 'kcat.product-country-update', '-e', '-q', '-f', '%k %s\n'], undefined, {
      configFile: clientSettings.kcatConfigFile,
    });
    expect(read.code).toBe(0);
    const [key, body] = read.stdout.trimEnd().split(' ');
    expect(key).toBe('for-kcat');
    expect(JSON.parse(body ?? '')).toMatchObject({ type: 'country', productId: 'for-kcat', country: 'FR' });

    // And what kcat writes there, pix reads: a producer of another library, over the same login.
    const written = await kcat(
      ['-P', '-t', 'kcat.product-country-update', '-k', 'from-kcat'],
      `${JSON.stringify({
        ...JSON.parse(body ?? ''),
        eventId: '7d4e1c1a-0f6e-4a57-9d0c-2b1f6a3e9c01',
        productId: 'from-kcat',
      })}\n`,
      { configFile: clientSettings.kcatConfigFile },
    );
    expect(written.code).toBe(0);
    const consumed = await runPix(['consume', 'country', '--from-beginning', '--exit', '--json'], { env });
    expect(
      ndjson<{ event: PixEvent }>(consumed.stdout)
        .map(({ event }) => event.productId)
        .sort(),
    ).toEqual(['for-kcat', 'from-kcat']);
  });

  it('refuses a wrong password at once with exit 3, naming SASL and never the password', async () => {
    for (const command of ONE_COMMAND_PER_KAFKA_PATH) {
      const { code, stderr } = await runPix([...command, ...LONG_TIMEOUT], {
        env: { ...settings, PIX_SASL_PASSWORD: 'not-the-password' },
        killAfterMs: 10_000,
      });
      expect({ command, code }).toEqual({ command, code: 3 });
      expect(stderr).toMatch(/^pix: error: the broker refused pix: .*SASL.*authentication failed/m);
      expect(stderr).not.toContain('not-the-password');
    }
  });

  it('refuses a broker certificate it was not told to trust at once with exit 3, naming --tls-ca', async () => {
    const { PIX_TLS_CA: _ca, ...untrusting } = settings;
    for (const command of ONE_COMMAND_PER_KAFKA_PATH) {
      const { code, stderr } = await runPix([...command, ...LONG_TIMEOUT], {
        env: { ...untrusting, PIX_TLS: 'true' },
        killAfterMs: 10_000,
      });
      expect({ command, code }).toEqual({ command, code: 3 });
      expect(stderr).toContain(`pix: error: the certificate of broker 127.0.0.1:${port} is not trusted`);
      expect(stderr).toContain('--tls-ca');
    }
  });

  it('verifies the broker given by address without a TLS warning, and by the name its certificate lists', async () => {
    for (const broker of [`127.0.0.1:${port}`, `localhost:${port}`]) {
      const env = { ...settings, PIX_BROKERS: broker, PIX_TOPIC_PREFIX: 'names.' };
      expect((await runPix(['topics', 'create'], { env })).code).toBe(0);
      const published = await runPix(['publish', 'price', '--id', 'by-name', '--price', '2'], { env });
      expect({ broker, code: published.code, stderr: published.stderr }).toEqual({ broker, code: 0, stderr: '' });
      const listed = await runPix(['topics', 'list'], { env });
      expect({ broker, code: listed.code, stderr: listed.stderr }).toEqual({ broker, code: 0, stderr: '' });
    }
  });
});
