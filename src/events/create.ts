import * as z from 'zod/mini';

import { newEventId } from './event-id.js';
import { DEFAULT_CURRENCY, EVENT_SCHEMAS, SCHEMA_VERSION, type EventOf, type EventType } from './schema.js';
import { issuesFromZod, type Validated } from './validation.js';

/** What the envelope falls back to when the input does not say. */
export interface EventDefaults {
  origin: string;
  now?: () => Date;
  newEventId?: () => string;
}

/** Which envelope fields pix filled in itself: ids and times it makes are valid by construction. */
const ID_MADE = 1;
const TIME_MADE = 2;

/**
 * The schema a new event is checked against: the event's own, refusing unknown fields, without
 * checking again an id or time pix made (a fifth of a bulk publish's validation). Made on first
 * use, at most four per type.
 */
const strictSchemas = new Map<string, z.ZodMiniType>();
function strictSchema(type: EventType, made: number): z.ZodMiniType {
  const name = `${type}${made}`;
  let schema = strictSchemas.get(name);
  if (!schema) {
    schema = z.strictObject({
      ...EVENT_SCHEMAS[type].shape,
      ...(made & ID_MADE ? { eventId: z.string() } : {}),
      ...(made & TIME_MADE ? { occurredAt: z.string() } : {}),
    });
    strictSchemas.set(name, schema);
  }
  return schema;
}

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
    // Set on an object, a field named __proto__ would be its prototype, the fields in it the event's.
    if (name === '__proto__') return { ok: false, issues: [{ field: name, rule: 'is not a known field' }] };
    const value = input[name];
    if (value !== undefined && name !== 'type') candidate[name] = value;
  }
  let made = 0;
  if (candidate.eventId === undefined || candidate.eventId === null) {
    candidate.eventId = (defaults.newEventId ?? newEventId)();
    made |= ID_MADE;
  }
  if (candidate.occurredAt === undefined || candidate.occurredAt === null) {
    candidate.occurredAt = defaults.now ? defaults.now().toISOString() : nowText();
    made |= TIME_MADE;
  }
  const parsed = strictSchema(type, made).safeParse(candidate);
  return parsed.success
    ? { ok: true, value: parsed.data as EventOf<T> }
    : { ok: false, issues: issuesFromZod(parsed.error) };
}
