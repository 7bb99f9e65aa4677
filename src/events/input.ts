import { createEvent, type EventDefaults } from './create.js';
import { hasUnsafeCharacters, shownText, UNSAFE_RULE } from '../printable.js';
import { MAX_PRODUCT_ID_LENGTH, type EventType, type PixEvent } from './schema.js';
import type { FieldIssue } from './validation.js';

/** An event to publish, with the key and headers it should carry when the input says so. */
export interface OutgoingEvent {
  event: PixEvent;
  key?: string;
  headers?: Record<string, string>;
}

export type ParsedLine = { ok: true; item: OutgoingEvent } | { ok: false; issues: FieldIssue[] };

/** The original system's event_type names, and the short alias its README used for countries. */
const LEGACY_EVENT_TYPES: Readonly<Record<string, EventType>> = {
  'product-price-update': 'price',
  'product-discount-update': 'discount',
  'product-country-update': 'country',
  'country-update': 'country',
};

const SHAPES_RULE =
  'must be a pix event (with "type"), a line of `pix consume --json` (with "event"), or {"event_type": …, "data": {…}}';

/** A whole JSON array in one line is the usual slip: say how to make lines of it. */
const ARRAY_RULE = 'is a JSON array: pix reads NDJSON, one event a line (`jq -c ".[]"` makes lines of an array)';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * One line of NDJSON input, in any of the three shapes pix accepts: its own event (envelope fields
 * may be left to their defaults), a record printed by `pix consume --json` (key and headers kept),
 * or the original system's request body.
 */
export function parseInputLine(text: string, defaults: EventDefaults): ParsedLine {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, issues: [{ field: '(line)', rule: 'is not valid JSON' }] };
  }
  if (Array.isArray(body)) return { ok: false, issues: [{ field: '(line)', rule: ARRAY_RULE }] };
  if (!isObject(body)) return { ok: false, issues: [{ field: '(line)', rule: SHAPES_RULE }] };

  if (isObject(body.event)) {
    const parsed = parseTyped(body.event.type, body.event, defaults);
    if (!parsed.ok) return parsed;
    const refused = keyAndHeaderIssues(body);
    if (refused.length > 0) return { ok: false, issues: refused };
    const key = typeof body.key === 'string' ? body.key : undefined;
    const headers = isObject(body.headers) ? stringValues(body.headers) : undefined;
    return { ok: true, item: { event: parsed.item.event, ...(key ? { key } : {}), ...(headers ? { headers } : {}) } };
  }
  if ('event_type' in body) {
    const type = typeof body.event_type === 'string' ? LEGACY_EVENT_TYPES[body.event_type] : undefined;
    if (!type) {
      return {
        ok: false,
        issues: [{ field: 'event_type', rule: `must be one of ${Object.keys(LEGACY_EVENT_TYPES).join(', ')}` }],
      };
    }
    if (!isObject(body.data)) return { ok: false, issues: [{ field: 'data', rule: 'must be a JSON object' }] };
    const { product_id: productId, ...payload } = body.data;
    return parseTyped(type, { productId, ...payload }, defaults);
  }
  if ('type' in body) return parseTyped(body.type, body, defaults);
  return { ok: false, issues: [{ field: '(line)', rule: SHAPES_RULE }] };
}

function parseTyped(type: unknown, fields: Record<string, unknown>, defaults: EventDefaults): ParsedLine {
  if (type !== 'price' && type !== 'discount' && type !== 'country') {
    return {
      ok: false,
      issues: [
        {
          field: 'type',
          rule: `must be price, discount or country (got ${shownText(JSON.stringify(type ?? null))})`,
        },
      ],
    };
  }
  const created = createEvent(type, fields, defaults);
  return created.ok ? { ok: true, item: { event: created.value } } : created;
}

/**
 * Limits of the key and headers a `pix consume --json` line carries, as the product id has its
 * own: without them a few valid lines made a batch past the broker's 1 MiB, and an all-or-nothing
 * file ended half published.
 */
const KEY_AND_HEADER_LIMITS = {
  keyLength: MAX_PRODUCT_ID_LENGTH,
  headers: 32,
  nameLength: 64,
  valueLength: 1024,
};

function keyAndHeaderIssues(body: Record<string, unknown>): FieldIssue[] {
  const limits = KEY_AND_HEADER_LIMITS;
  const issues: FieldIssue[] = [];
  if (body.key !== undefined && body.key !== null) {
    if (typeof body.key !== 'string') issues.push({ field: 'key', rule: 'must be text' });
    else if (body.key.length > limits.keyLength) {
      issues.push({ field: 'key', rule: `must be at most ${limits.keyLength} characters (got ${body.key.length})` });
    } else if (hasUnsafeCharacters(body.key)) {
      issues.push({ field: 'key', rule: `${UNSAFE_RULE} (got '${shownText(body.key)}')` });
    }
  }
  if (body.headers === undefined || body.headers === null) return issues;
  if (!isObject(body.headers)) return [...issues, { field: 'headers', rule: 'must be a JSON object of text values' }];
  const entries = Object.entries(body.headers);
  if (entries.length > limits.headers) {
    issues.push({ field: 'headers', rule: `must be at most ${limits.headers} (got ${entries.length})` });
  }
  for (const [name, value] of entries.slice(0, limits.headers)) {
    const field = `headers.${shownText(name)}`;
    if (name.length === 0 || name.length > limits.nameLength) {
      issues.push({ field, rule: `must be named with 1 to ${limits.nameLength} characters (got ${name.length})` });
    } else if (hasUnsafeCharacters(name)) {
      issues.push({ field, rule: `must be named without control, bidirectional or zero-width characters` });
    } else if (typeof value !== 'string') {
      issues.push({ field, rule: 'must be text' });
    } else if (value.length > limits.valueLength) {
      issues.push({ field, rule: `must be at most ${limits.valueLength} characters (got ${value.length})` });
    } else if (hasUnsafeCharacters(value)) {
      issues.push({ field, rule: `${UNSAFE_RULE} (got '${shownText(value)}')` });
    }
  }
  return issues;
}

function stringValues(record: Record<string, unknown>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(record)) {
    if (typeof value === 'string') result[name] = value;
  }
  return result;
}
