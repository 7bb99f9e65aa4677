import { createServer } from 'node:http';

import { closeServer, listen, urlHost } from '../http/listen.js';
import type { PixMetrics } from './metrics.js';

interface MetricsServer {
  url: string;
  close(): Promise<void>;
}

/** GET /metrics for Prometheus, and nothing else, while a long-running command runs. */
export async function serveMetrics(metrics: PixMetrics, host: string, port: number): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://metrics.invalid').pathname;
    if (path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('pix serves /metrics here\n');
      return;
    }
    metrics.text().then(
      (text) => response.writeHead(200, { 'content-type': metrics.contentType }).end(text),
      (error: unknown) => response.writeHead(500).end(String(error)),
    );
  });
  const bound = await listen(server, host, port, 'metrics');
  return { url: `http://${urlHost(host)}:${bound}/metrics`, close: () => closeServer(server) };
}
