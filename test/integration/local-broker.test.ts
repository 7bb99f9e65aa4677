import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { runPix } from '../helpers/pix.js';
import { accepts, freePorts } from '../helpers/ports.js';
import { fileFolder, testFolder } from '../helpers/temp.js';

describe('pix local', () => {
  const state = fileFolder('state');
  const env = { PIX_STATE_DIR: state };
  let port: number;

  afterAll(async () => {
    if (port) await runPix(['local', 'stop', '--port', String(port)], { env });
  });

  it('starts a broker with its data where --data-dir says, does nothing when started twice, and stop frees the port', async () => {
    port = await freePorts(2);
    // A data folder of its own, outside the state folder, which has no instance folder yet.
    const dataDir = join(testFolder('data'), 'kafka');
    const first = await runPix(
      ['local', 'start', '--port', String(port), '--heap', '384m', '--data-dir', dataDir, '--json'],
      { env },
    );
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const started = JSON.parse(first.stdout) as { started: boolean; address: string; pid: number; running: boolean };
    expect(started).toMatchObject({ started: true, running: true, address: `127.0.0.1:${port}`, dataDir });
    expect(existsSync(join(dataDir, 'meta.properties'))).toBe(true);

    const topics = await runPix(['topics', 'create', '--brokers', `127.0.0.1:${port}`]);
    expect(topics.code).toBe(0);
    expect(topics.stdout).toContain('created  product-price-update');

    const second = await runPix(['local', 'start', '--port', String(port)], { env });
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(`Kafka already running at 127.0.0.1:${port} (pid ${started.pid})\n`);

    // A single broker has no node 2; a port with no cluster has none at all: each said as it is.
    const single = await runPix(['local', 'stop', '--node', '2', '--port', String(port)], { env });
    expect(single.code).toBe(2);
    expect(single.stderr).toContain(`the local broker on port ${port} is a single node, with no node 2`);
    const elsewhere = await runPix(['local', 'stop', '--node', '2', '--port', String(port + 10)], { env });
    expect(elsewhere.code).toBe(5);
    expect(elsewhere.stderr).toContain(`there is no local cluster on port ${port + 10} to stop node 2 of`);

    const status = await runPix(['local', 'status', '--port', String(port)], { env });
    expect(status.code).toBe(0);
    expect(status.stdout).toContain(`running at 127.0.0.1:${port} (pid ${started.pid})`);

    const stop = await runPix(['local', 'stop', '--port', String(port)], { env });
    expect(stop.code).toBe(0);
    expect(stop.stdout).toBe(`stopped Kafka on 127.0.0.1:${port} (pid ${started.pid})\n`);
    expect(await accepts(port)).toBe(false);

    const after = await runPix(['local', 'status', '--port', String(port), '--json'], { env });
    expect(JSON.parse(after.stdout)).toMatchObject({ running: false });
    const again = await runPix(['local', 'stop', '--port', String(port)], { env });
    expect(again.code).toBe(0);
    expect(again.stdout).toBe(`no local broker of pix runs on port ${port}\n`);
  });

  it('says what to install when Java is missing, and names the Docker alternative', async () => {
    const { code, stderr } = await runPix(['local', 'start', '--port', String(await freePorts(2))], {
      env: { ...env, JAVA_HOME: join(state, 'no-java') },
    });
    expect(code).toBe(5);
    expect(stderr).toContain('Java 17 or newer is needed to run the local broker');
    expect(stderr).toContain('apt-get install openjdk-17-jre-headless');
    expect(stderr).toContain('docker compose -f docker/compose.yml');
  });

  it('says what to install when Maven is needed and missing', async () => {
    const { code, stderr } = await runPix(['local', 'start', '--port', String(await freePorts(2))], {
      env: { ...env, PIX_CACHE_DIR: join(state, 'empty-cache'), PIX_MAVEN: join(state, 'no-mvn') },
    });
    expect(code).toBe(5);
    expect(stderr).toContain("Maven is needed once, to fetch Apache Kafka's jars from Maven Central");
    expect(stderr).toContain('apt-get install maven');
  });

  it('refuses a port taken by something that is not Kafka', async () => {
    const server = createServer((socket) => {
      socket.on('error', () => undefined);
      socket.end('HTTP/1.0 200 OK\r\n\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const taken = (server.address() as { port: number }).port;
    try {
      const { code, stderr } = await runPix(['local', 'start', '--port', String(taken)], { env });
      expect(code).toBe(5);
      expect(stderr).toContain(`port ${taken} is taken by a program that is not a Kafka broker`);
    } finally {
      server.close();
    }
  });
});
