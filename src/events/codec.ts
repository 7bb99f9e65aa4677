import { isUtf8 } from 'node:buffer';

import { newEventId, uuidText } from './event-id.js';
import { DEFAULT_CURRENCY, EVENT_SCHEMAS, SCHEMA_VERSION, type EventType, type PixEvent } from './schema.js';
import { issuesFromZod, type FieldIssue } from './validation.js';

/** Header names pix writes on every message, so tools can route without parsing the value. */
export const HEADERS = {
  type: 'event-type',
  schemaVersion: 'schema-version',
  origin: 'origin',
} as const;

/** The origin given to events of the original system, which had no notion of site. */
const LEGACY_ORIGIN = 'legacy';

interface EncodedMessage {
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The Kafka message of an event: keyed by product, so one product's events keep their order. */
export function encodeEvent(event: PixEvent): EncodedMessage {
  return { key: event.productId, value: eventJson(event), headers: eventHeaders(event) };
}

/**
 * An event as JSON: the text JSON.stringify gives (a test holds them equal, field for field, for
 * every type) at half its cost, a fifth of a bulk publish's encoding. Only productId can hold
 * characters JSON escapes; the schema's rules keep every other string to ids, timestamps, codes
 * and site names.
 */
export function eventJson(event: PixEvent): string {
  const envelope = `{"type":"${event.type}","eventId":"${event.eventId}","productId":${JSON.stringify(event.productId)},"occurredAt":"${event.occurredAt}","origin":"${event.origin}","schemaVersion":${event.schemaVersion}`;
  switch (event.type) {
    case 'price':
      return `${envelope},"price":${event.price},"currency":"${event.currency}"}`;
    case 'discount':
      return `${envelope},"discount":${event.discount}}`;
    case 'country':
      return `${envelope},"country":"${event.country}"}`;
  }
}

/** The headers of an event's message: they depend on its type, schema version and origin only. */
export function eventHeaders({ type, schemaVersion, origin }: PixEvent): Record<string, string> {
  return { [HEADERS.type]: type, [HEADERS.schemaVersion]: String(schemaVersion), [HEADERS.origin]: origin };
}

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** A message as read from a topic, whatever client read it. */
export interface IncomingMessage {
  topic: string;
  value: Buffer | string | null;
  headers?: Record<string, HeaderValue>;
  /** Milliseconds since the epoch, as Kafka gives it (a decimal string). */
  timestamp?: string;
  partition?: number;
  offset?: string;
}

export type DecodeResult = { ok: true; event: PixEvent; legacy: boolean } | { ok: false; issues: FieldIssue[] };

/**
 * Reads one message of a pix topic. Never throws: a message that is not an event of the topic's
 * type comes back as issues naming the field and the rule, for the caller to count and show.
 */
export function decodeEvent(type: EventType, message: IncomingMessage): DecodeResult {
  if (message.value === null || message.value.length === 0) {
    return { ok: false, issues: [{ field: '(message)', rule: 'has no value' }] };
  }
  // JSON text is UTF-8 (RFC 8259 §8.1): other bytes would be read as U+FFFD, a value nobody wrote.
  if (typeof message.value !== 'string' && !isUtf8(message.value))
    return { ok: false, issues: [{ field: '(message)', rule: 'is not valid UTF-8' }] };
  let body: unknown;
  try {
    body = JSON.parse(message.value.toString());
  } catch {
    return { ok: false, issues: [{ field: '(message)', rule: 'is not valid JSON' }] };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { ok: false, issues: [{ field: '(message)', rule: 'must be a JSON object' }] };
  }
  const legacyData = legacyPayload(body as Record<string, unknown>);
  const candidate = legacyData === undefined ? body : fromLegacy(type, legacyData, message);
  const parsed = EVENT_SCHEMAS[type].safeParse(candidate);
  if (!parsed.success) return { ok: false, issues: issuesFromZod(parsed.error) };
  return { ok: true, event: parsed.data, legacy: legacyData !== undefined };
}

/**
 * The original Python system wrote a bare `data` object (`{"product_id": 123, "price": 10.0}`); its
 * HTTP API took it wrapped as `{"event_type": …, "data": {…}}`. Either shape is its payload.
 */
function legacyPayload(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const data = body.data;
  if ('event_type' in body && typeof data === 'object' && data !== null && !Array.isArray(data)) {
    return data as Record<string, unknown>;
  }
  return 'product_id' in body && !('productId' in body) ? body : undefined;
}

function fromLegacy(type: EventType, data: Record<string, unknown>, message: IncomingMessage): Record<string, unknown> {
  const { product_id: productId, ...payload } = data;
  const millis = Number(message.timestamp);
  return {
    ...payload,
    type,
    productId,
    eventId: legacyEventId(message),
    occurredAt: new Date(Number.isFinite(millis) && millis > 0 ? millis : Date.now()).toISOString(),
    origin: headerText(message.headers?.[HEADERS.origin]) ?? LEGACY_ORIGIN,
    schemaVersion: SCHEMA_VERSION,
    ...(type === 'price' && payload.currency === undefined ? { currency: DEFAULT_CURRENCY } : {}),
  };
}

/**
 * Legacy events carry no id. One derived from where the message sits gives the same id each time
 * it is read, so a consumer that re-reads a topic does not see new events.
 */
function legacyEventId(message: IncomingMessage): string {
  if (message.partition === undefined || message.offset === undefined) return newEventId();
  // node:crypto is loaded for legacy events only: one publish does without it (see event-id.ts).
  const hash = process
    .getBuiltinModule('node:crypto')
    .createHash('sha1')
    .update(`${message.topic}/${message.partition}/${message.offset}`)
    .digest();
  return uuidText(hash, 0, 5);
}

export function headerText(value: HeaderValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
}
