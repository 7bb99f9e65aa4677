import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { Duplex } from 'node:stream';

import { WebSocketServer } from 'ws';

import type { EventDefaults } from '../events/create.js';
import { closeServer, listen, urlHost } from '../http/listen.js';
import type { PixEvent } from '../events/schema.js';
import type { Delivery } from '../kafka/index.js';
import type { PixMetrics } from '../metrics/metrics.js';
import type { LiveModel } from '../live-model/model.js';
import { TOKEN_PARAM, TokenGate, tokenCookie, type TokenSource } from './auth.js';
import { FrameBroadcaster } from './broadcaster.js';
import { handlePublish } from './publish-route.js';
import { RequestOrigin } from './request-origin.js';

interface DashboardOptions {
  host: string;
  /** 0 picks a free port; the running dashboard's url says which. */
  port: number;
  token?: string;
  /** Host names besides IP addresses and localhost that requests may name (--allowed-host). */
  allowedHosts?: readonly string[];
  model: LiveModel;
  metrics: PixMetrics;
  /** Given when --enable-publish is; without it POST /publish-event answers 404. */
  publish?: (event: PixEvent) => Promise<Delivery>;
  publishDefaults: EventDefaults;
  frameIntervalMs?: number;
  maxBufferedBytes?: number;
}

export interface RunningDashboard {
  url: string;
  port: number;
  close(): Promise<void>;
}

const WEBSOCKET_PATH = '/live';

interface Asset {
  type: string;
  body: Buffer;
}

const require = createRequire(import.meta.url);
const assetFile = (name: string): URL => new URL(`./assets/${name}`, import.meta.url);

/** Everything the page needs, served by pix itself: it works with no network beyond this server. */
function loadAssets(): Map<string, Asset> {
  const asset = (type: string, path: URL | string): Asset => ({ type, body: readFileSync(path) });
  return new Map([
    ['/', asset('text/html; charset=utf-8', assetFile('index.html'))],
    ['/assets/app.js', asset('text/javascript; charset=utf-8', assetFile('app.js'))],
    ['/assets/style.css', asset('text/css; charset=utf-8', assetFile('style.css'))],
    ['/assets/uPlot.js', asset('text/javascript; charset=utf-8', require.resolve('uplot/dist/uPlot.iife.min.js'))],
    ['/assets/uPlot.css', asset('text/css; charset=utf-8', require.resolve('uplot/dist/uPlot.min.css'))],
  ]);
}

/** The page runs only pix's own scripts and talks only to pix: an injected tag could do nothing. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

const PAGE_SOURCES: readonly TokenSource[] = ['header', 'cookie', 'query'];
// No cookie: a page on another site must not be able to publish with the operator's browser; no
// query either: a token in a URL ends up in logs, histories and Referer headers.
const API_SOURCES: readonly TokenSource[] = ['header'];

/**
 * The dashboard's HTTP and WebSocket server: the page and its assets, the live WebSocket, health,
 * readiness, Prometheus metrics and (when enabled) the publish route.
 */
export async function startDashboard(options: DashboardOptions): Promise<RunningDashboard> {
  const { model, metrics } = options;
  const assets = loadAssets();
  const gate = new TokenGate(options.token);
  const origin = new RequestOrigin(options.allowedHosts);
  const broadcaster = new FrameBroadcaster(model, {
    ...(options.frameIntervalMs !== undefined ? { frameIntervalMs: options.frameIntervalMs } : {}),
    ...(options.maxBufferedBytes !== undefined ? { maxBufferedBytes: options.maxBufferedBytes } : {}),
    onClientsChanged: (count) => metrics.websocketClients.set(count),
    onDropped: () => metrics.websocketDropped.inc(),
    onRefused: (reason) => metrics.websocketRefused.inc({ reason }),
  });
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false });
  const stopObserving = metrics.observe(model);

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { error: (error as Error).message });
      else response.destroy();
    });
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    const method = request.method ?? 'GET';
    if (!origin.hostAllowed(request)) return misdirected(response);
    if (url.pathname === '/healthz')
      return only(method, 'GET', response, () => sendJson(response, 200, { status: 'ok' }));
    if (url.pathname === '/readyz') {
      return only(method, 'GET', response, () => {
        const { connection } = model;
        sendJson(response, connection.state === 'connected' ? 200 : 503, connection);
      });
    }
    if (url.pathname === '/metrics') {
      if (method !== 'GET') return notAllowed(response, 'GET');
      const text = await metrics.text();
      response.writeHead(200, { 'content-type': metrics.contentType });
      response.end(text);
      return;
    }
    if (url.pathname === '/publish-event') {
      if (!options.publish) return sendJson(response, 404, { error: 'publishing is off: start with --enable-publish' });
      if (method !== 'POST') return notAllowed(response, 'POST');
      if (!origin.sameOrigin(request)) {
        metrics.httpPublishRequests.inc({ result: 'forbidden' });
        return sendJson(response, 403, { error: 'publishing is refused to pages of other origins' });
      }
      if (!gate.allows(request, url, API_SOURCES)) {
        metrics.httpPublishRequests.inc({ result: 'unauthorized' });
        return unauthorized(response);
      }
      // A form or a no-cors fetch can only send text/plain, form types or none: JSON it must be.
      if (!/^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '')) {
        metrics.httpPublishRequests.inc({ result: 'unsupported_type' });
        return sendJson(response, 415, { error: 'send the event as Content-Type: application/json' });
      }
      const reply = await handlePublish(request, options.publishDefaults, options.publish);
      metrics.httpPublishRequests.inc({ result: reply.result });
      if (reply.result === 'unavailable') response.setHeader('retry-after', '5');
      if (reply.result === 'too_large') response.setHeader('connection', 'close');
      return sendJson(response, reply.status, reply.body);
    }
    // Browsers ask for it unprompted; a 204 keeps their consoles free of a 404.
    if (url.pathname === '/favicon.ico') return void response.writeHead(204).end();
    const asset = assets.get(url.pathname);
    if (!asset) return sendJson(response, 404, { error: `no such page: ${url.pathname}` });
    if (method !== 'GET' && method !== 'HEAD') return notAllowed(response, 'GET');
    if (!gate.allows(request, url, PAGE_SOURCES)) return unauthorized(response);
    const given = url.searchParams.get(TOKEN_PARAM);
    if (given !== null && gate.matches(given)) {
      // Keep the token out of the address bar, the history and screenshots: a cookie carries it on.
      url.searchParams.delete(TOKEN_PARAM);
      response.writeHead(303, { location: url.pathname + url.search, 'set-cookie': tokenCookie(given) });
      response.end();
      return;
    }
    response.writeHead(200, {
      'content-type': asset.type,
      'content-length': asset.body.length,
      'cache-control': 'no-store',
      ...SECURITY_HEADERS,
    });
    response.end(method === 'HEAD' ? undefined : asset.body);
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A client that goes away during the handshake is its own loss, never the server's.
    socket.on('error', () => socket.destroy());
    const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    const refuse = (status: number, reason: string): void => {
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
    };
    if (!origin.hostAllowed(request)) return refuse(421, 'Misdirected Request');
    if (url.pathname !== WEBSOCKET_PATH) return refuse(404, 'Not Found');
    if (!origin.sameOrigin(request)) return refuse(403, 'Forbidden');
    if (!gate.allows(request, url, PAGE_SOURCES)) return refuse(401, 'Unauthorized');
    sockets.handleUpgrade(request, socket, head, (client) => broadcaster.add(client));
  });

  const port = await listen(server, options.host, options.port, 'the dashboard');

  return {
    url: `http://${urlHost(options.host)}:${port}/`,
    port,
    close: async () => {
      stopObserving();
      broadcaster.close();
      sockets.close();
      await closeServer(server);
    },
  };
}

function only(method: string, allowed: string, response: ServerResponse, handle: () => void): void {
  if (method === allowed) handle();
  else notAllowed(response, allowed);
}

function notAllowed(response: ServerResponse, allowed: string): void {
  response.setHeader('allow', allowed);
  sendJson(response, 405, { error: `use ${allowed}` });
}

/** A Host the dashboard does not answer to: a rebinding page, or a name to add with --allowed-host. */
function misdirected(response: ServerResponse): void {
  sendJson(response, 421, {
    error:
      'this dashboard answers to its IP addresses and localhost: start it with --allowed-host NAME for another name',
  });
}

function unauthorized(response: ServerResponse): void {
  response.setHeader('www-authenticate', 'Bearer realm="pix dashboard"');
  sendJson(response, 401, {
    error: 'this dashboard needs its token: open it as /?token=… or send Authorization: Bearer …',
  });
}

function sendJson(response: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}
