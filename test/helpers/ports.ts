import { connect, createServer } from 'node:net';

/**
 * The first of `count` free ports side by side: a local broker's and its controller's, or a cluster's.
 * Below 32768, where Linux's ephemeral ports begin (ip_local_port_range): a port free now, but in
 * that range, can be taken by any outgoing connection before the broker binds it.
 */
export async function freePorts(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await Promise.all(Array.from({ length: count }, (_, index) => isFree(port + index)));
    if (free.every(Boolean)) return port;
  }
  throw new Error(`no ${count} free ports side by side`);
}

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** Whether something on 127.0.0.1 takes a connection on `port` now. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
