import type { IncomingMessage } from 'node:http';

import { describe, expect, it } from 'vitest';

import { isLoopback, TOKEN_COOKIE, TokenGate, tokenCookie } from '../../src/dashboard/auth.js';

const request = (headers: Record<string, string>): IncomingMessage => ({ headers }) as unknown as IncomingMessage;
const url = (query = ''): URL => new URL(`http://x/${query}`);

describe('TokenGate', () => {
  const gate = new TokenGate('s3cret');

  it('lets everything through when no token is set', () => {
    expect(new TokenGate(undefined).allows(request({}), url(), ['header'])).toBe(true);
  });

  it('takes the token from the places it is told, and only those', () => {
    expect(gate.allows(request({ authorization: 'Bearer s3cret' }), url(), ['header'])).toBe(true);
    expect(gate.allows(request({}), url('?token=s3cret'), ['query'])).toBe(true);
    expect(gate.allows(request({ cookie: `a=1; ${TOKEN_COOKIE}=s3cret` }), url(), ['cookie'])).toBe(true);
    expect(gate.allows(request({ cookie: `${TOKEN_COOKIE}=s3cret` }), url(), ['header', 'query'])).toBe(false);
  });

  it('refuses a wrong, empty or badly encoded token', () => {
    expect(gate.allows(request({ authorization: 'Bearer nope' }), url(), ['header'])).toBe(false);
    expect(gate.allows(request({ authorization: 'Bearer ' }), url(), ['header'])).toBe(false);
    expect(gate.allows(request({}), url('?token='), ['query'])).toBe(false);
    expect(gate.allows(request({ cookie: `${TOKEN_COOKIE}=%E0%A4%A` }), url(), ['cookie'])).toBe(false);
  });

  it('sets a cookie scripts cannot read and other sites do not send', () => {
    expect(tokenCookie('a b')).toBe(`${TOKEN_COOKIE}=a%20b; HttpOnly; SameSite=Strict; Path=/`);
  });
});

describe('isLoopback', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1'])('%s is loopback', (host) => {
    expect(isLoopback(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])('%s is not', (host) => {
    expect(isLoopback(host)).toBe(false);
  });
});
