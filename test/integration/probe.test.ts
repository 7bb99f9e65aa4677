import { createServer, type Socket } from 'node:net';

import { describe, expect, it } from 'vitest';

import { brokersListedBy } from '../../src/kafka/index.js';
import { TEST_BROKERS } from '../helpers/kafka.js';

describe('brokersListedBy', () => {
  it('counts the brokers a real Kafka broker lists', async () => {
    const [host = '', port = ''] = (TEST_BROKERS[0] ?? '').split(':');
    expect(await brokersListedBy(host, Number(port), 5_000)).toBe(TEST_BROKERS.length);
  });

  it('is undefined, within its bound, for a server that never answers and for one that speaks another protocol', async () => {
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
      expect(await brokersListedBy('127.0.0.1', portOf(silent), 300)).toBeUndefined();
      expect(await brokersListedBy('127.0.0.1', portOf(http), 2_000)).toBeUndefined();
    } finally {
      for (const socket of sockets) socket.destroy();
      await Promise.all([silent, http].map((server) => new Promise((resolve) => server.close(resolve))));
    }
  });
});
