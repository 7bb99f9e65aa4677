import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'pix_dashboard_token';
export const TOKEN_PARAM = 'token';

/** How a request may carry the token. The cookie is for the browser's own page and socket only. */
export type TokenSource = 'header' | 'query' | 'cookie';

/**
 * Checks the dashboard's token in constant time. Without a configured token every request passes.
 */
export class TokenGate {
  private readonly digest: Buffer | undefined;

  constructor(token: string | undefined) {
    this.digest = token ? sha256(token) : undefined;
  }

  get enabled(): boolean {
    return this.digest !== undefined;
  }

  /** Whether the request carries the token in one of the allowed places. */
  allows(request: IncomingMessage, url: URL, sources: readonly TokenSource[]): boolean {
    if (!this.digest) return true;
    return sources.some((source) => {
      const given = tokenFrom(request, url, source);
      return given !== undefined && this.matches(given);
    });
  }

  matches(given: string): boolean {
    return this.digest !== undefined && timingSafeEqual(sha256(given), this.digest);
  }
}

function tokenFrom(request: IncomingMessage, url: URL, source: TokenSource): string | undefined {
  switch (source) {
    case 'header': {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
      return match?.[1];
    }
    case 'query':
      return url.searchParams.get(TOKEN_PARAM) ?? undefined;
    case 'cookie':
      return cookies(request.headers.cookie).get(TOKEN_COOKIE);
  }
}

function cookies(header: string | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at <= 0) continue;
    try {
      out.set(part.slice(0, at).trim(), decodeURIComponent(part.slice(at + 1).trim()));
    } catch {
      // A cookie that is not valid percent-encoding is no token.
    }
  }
  return out;
}

/** The cookie that lets the browser keep the token out of the address bar. */
export function tokenCookie(token: string): string {
  return `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Loopback addresses, where a dashboard without a token is fine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
