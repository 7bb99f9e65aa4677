import { randomUUID } from 'node:crypto';

import { DEFAULT_CURRENCY, EVENT_SCHEMAS, SCHEMA_VERSION, type EventOf, type EventType } from './schema.js';
import { issuesFromZod, type Validated } from './validation.js';

/** What the envelope falls back to when the input does not say. */
export interface EventDefaults {
  origin: string;
  now?: () => Date;
  newEventId?: () => string;
}

const STRICT_SCHEMAS = {
  price: EVENT_SCHEMAS.price.strict(),
  discount: EVENT_SCHEMAS.discount.strict(),
  country: EVENT_SCHEMAS.country.strict(),
} as const;

let lastMillis = 0;
let lastText = '';

/** Now, as an ISO 8601 timestamp: formatted once per millisecond, as a bulk publish asks often. */
function nowText(): string {
  const millis = Date.now();
  if (millis !== lastMillis) {
    lastMillis = millis;
    lastText = new Date(millis).toISOString();
  }
  return lastText;
}

/**
 * Fills in the envelope's defaults and validates a new event. Unknown fields are refused here (a
 * typo such as `curency` must not silently become the default USD); decoding what is already on a
 * topic is lenient instead, see codec.ts.
 */
export function createEvent<T extends EventType>(
  type: T,
  input: Record<string, unknown>,
  defaults: EventDefaults,
): Validated<EventOf<T>> {
  // A plain loop: this runs for every line of a bulk publish.
  const candidate: Record<string, unknown> = {
    type,
    eventId: undefined,
    occurredAt: undefined,
    origin: defaults.origin,
    schemaVersion: SCHEMA_VERSION,
  };
  if (type === 'price') candidate.currency = DEFAULT_CURRENCY;
  for (const name in input) {
    const value = input[name];
    if (value !== undefined && name !== 'type') candidate[name] = value;
  }
  candidate.eventId ??= (defaults.newEventId ?? randomUUID)();
  candidate.occurredAt ??= defaults.now ? defaults.now().toISOString() : nowText();
  const parsed = STRICT_SCHEMAS[type].safeParse(candidate);
  return parsed.success
    ? { ok: true, value: parsed.data as EventOf<T> }
    : { ok: false, issues: issuesFromZod(parsed.error) };
}
