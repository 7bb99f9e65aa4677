import { describe, expect, it } from 'vitest';

import { decodeHeartbeat, heartbeatsSiteOf } from '../../src/kafka/heartbeats.js';

// A heartbeat as MirrorMaker 2 (connect-mirror 4.1.2) wrote it to the cloud's heartbeats topic.
const KEY = Buffer.from('00076f6e2d7072656d0005636c6f7564', 'hex');
const VALUE = Buffer.from('0000000001a2369248a0', 'hex');

describe("MirrorMaker 2's heartbeats", () => {
  it('names the two clusters and when it was emitted', () => {
    expect(decodeHeartbeat(KEY, VALUE)).toEqual({
      sourceSite: 'on-prem',
      targetSite: 'cloud',
      emittedAt: 0x1a2369248a0,
    });
  });

  it('is not made of records of another shape', () => {
    expect(decodeHeartbeat(null, VALUE)).toBeUndefined();
    expect(decodeHeartbeat(KEY, null)).toBeUndefined();
    expect(decodeHeartbeat(KEY.subarray(0, 8), VALUE)).toBeUndefined();
    expect(decodeHeartbeat(Buffer.concat([KEY, Buffer.from([0])]), VALUE)).toBeUndefined();
    expect(decodeHeartbeat(KEY, Buffer.from('0001000001a2369248a0', 'hex'))).toBeUndefined();
    expect(
      decodeHeartbeat(Buffer.from('{"productId":"x"}'), Buffer.from('{"type":"price","price":1}')),
    ).toBeUndefined();
  });

  it("tells this cluster's heartbeats from another site's copies of theirs", () => {
    expect(heartbeatsSiteOf('heartbeats')).toBeNull();
    expect(heartbeatsSiteOf('on-prem.heartbeats')).toBe('on-prem');
    expect(heartbeatsSiteOf('cloud.on-prem.heartbeats')).toBeUndefined();
    expect(heartbeatsSiteOf('.heartbeats')).toBeUndefined();
    expect(heartbeatsSiteOf('product-price-update')).toBeUndefined();
  });
});
