import { describe, expect, it } from 'vitest';

import { eventIdsFrom, newEventId } from '../../src/events/event-id.js';

/** RFC 9562: version 4 in the 13th hex digit, the variant's 10xx bits in the 17th. */
const VERSION_4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('event ids', () => {
  it('are version 4 UUIDs, all different, across more than one read of the random device', () => {
    const ids = Array.from({ length: 3_000 }, () => newEventId());
    expect(ids.filter((id) => !VERSION_4.test(id))).toEqual([]);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('come from node:crypto where the device is missing, or gives no bytes, and are still version 4', () => {
    for (const device of ['/no/such/random-device', '/dev/null']) {
      const ids = Array.from({ length: 50 }, eventIdsFrom(device));
      expect(ids.filter((id) => !VERSION_4.test(id))).toEqual([]);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });
});
