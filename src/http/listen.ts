import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { PixError } from '../errors.js';

/** Starts `server` on host:port and returns the port it got (port 0 picks a free one). */
export async function listen(server: Server, host: string, port: number, what: string): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => reject(listenFailure(error, host, port, what)));
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}

/** An address as a URL's host: IPv6 in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export async function closeServer(server: Server): Promise<void> {
  await new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function listenFailure(error: NodeJS.ErrnoException, host: string, port: number, what: string): PixError {
  const where = `${host}:${port}`;
  const reason =
    error.code === 'EADDRINUSE'
      ? `${where} is already in use`
      : error.code === 'EACCES'
        ? `${where} needs privileges pix does not have`
        : error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND'
          ? `${host} is not an address of this machine`
          : `${where}: ${error.message}`;
  return new PixError('CANNOT_LISTEN', `cannot serve ${what}: ${reason}`, {
    hint: 'Choose another port (0 picks a free one) or host',
    cause: error,
  });
}
