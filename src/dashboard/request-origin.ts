import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';

/**
 * Whom the dashboard answers: against DNS rebinding, a request must name the dashboard by an IP
 * address (a rebinding page can only make the browser send its own host name), by localhost, or
 * by a name given with --allowed-host; against forged requests from other sites, a browser's
 * request that changes something (publishing, the WebSocket) must come from the dashboard's own
 * origin.
 */
export class RequestOrigin {
  private readonly names: Set<string>;

  constructor(allowedHosts: readonly string[] = []) {
    this.names = new Set(['localhost', ...allowedHosts.map((name) => name.toLowerCase())]);
  }

  /** Whether the Host header names this dashboard. HTTP/1.1 requires one: none is refused. */
  hostAllowed(request: IncomingMessage): boolean {
    const name = hostName(request.headers.host);
    if (name === undefined) return false;
    return isIP(name.replace(/^\[(.*)\]$/, '$1')) !== 0 || this.names.has(name);
  }

  /**
   * Whether the request comes from the dashboard's own page. A browser sends Origin with every
   * POST and WebSocket handshake; clients that are not browsers (curl, scripts) send none.
   */
  sameOrigin(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (origin === undefined) return true;
    try {
      return new URL(origin).host === request.headers.host?.toLowerCase();
    } catch {
      return false;
    }
  }
}

/** The host name of a Host header, lower case, without the port; undefined when it is no host. */
function hostName(header: string | undefined): string | undefined {
  if (!header) return undefined;
  try {
    return new URL(`http://${header}`).hostname || undefined;
  } catch {
    return undefined;
  }
}
