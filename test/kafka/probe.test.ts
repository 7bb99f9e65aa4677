import { createServer, type Socket } from 'node:net';

import { describe, expect, it } from 'vitest';

import { answersMetadata } from '../../src/local/metadata-probe.js';
import { TEST_BROKERS } from '../helpers/kafka.js';

describe('answersMetadata', () => {
  it('is true for a real Kafka broker', async () => {
    const [host = '', port = ''] = (TEST_BROKERS[0] ?? '').split(':');
    expect(await answersMetadata(host, Number(port), 5_000)).toBe(true);
  });

  it('is false, within its bound, for a server that never answers and for one that speaks another protocol', async () => {
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    const http = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.end('HTTP/1.0 400 Bad Request\r\n\r\n');
    });
    await Promise.all(
      [silent, http].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))),
    );
    try {
      const portOf = (server: typeof silent): number => (server.address() as { port: number }).port;
      expect(await answersMetadata('127.0.0.1', portOf(silent), 300)).toBe(false);
      expect(await answersMetadata('127.0.0.1', portOf(http), 2_000)).toBe(false);
    } finally {
      for (const socket of sockets) socket.destroy();
      await Promise.all([silent, http].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});
