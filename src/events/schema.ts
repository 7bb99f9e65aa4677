// zod/mini: the same checks and messages as zod's classic API, without building every method into
// every schema, which was a fifth of the time a one-event `pix publish` takes to start.
import * as z from 'zod/mini';

import { hasUnsafeCharacters, shownText, UNSAFE_RULE } from '../printable.js';
import { COUNTRY_CODES } from './iso-3166-countries.js';
import { CURRENCY_CODES } from './iso-4217-currencies.js';
import { isUnkeptNumber, KEPT_NUMBER_RULE } from './numbers.js';

import type { EventType } from './event-types.js';

export { EVENT_TYPES, isEventType, type EventType } from './event-types.js';

export const SCHEMA_VERSION = 1 as const;

/** A value in a message: made printable and cut, since it comes from whoever wrote the input. */
const shown = (input: unknown): string => {
  if (typeof input === 'string') return `'${shownText(input)}'`;
  // JSON has no Infinity: JSON.stringify would show it as null.
  if (typeof input === 'number' && !Number.isFinite(input)) return String(input);
  // JSON.stringify gives undefined for what JSON cannot write (a function, a symbol), whatever its type says.
  const json = JSON.stringify(input) as string | undefined;
  return shownText(json ?? String(input));
};

/** A rule's message: 'is required' when the field is missing, else the rule and the value given. */
const expect =
  (rule: string) =>
  (issue: { input?: unknown }): string =>
    issue.input === undefined ? 'is required' : `${rule} (got ${shown(issue.input)})`;

export const MAX_PRODUCT_ID_LENGTH = 256;

const productId = z
  .pipe(
    z.union([z.string(), z.int()], { error: expect('must be a non-empty string or an integer') }),
    z.transform((value: string | number) => (typeof value === 'number' ? String(value) : value)),
  )
  .check(
    z.refine((value) => value.trim().length > 0, { error: 'must not be empty' }),
    // A key shown in every view: nothing in it may act on a terminal, reorder text or hide itself.
    z.refine((value) => !hasUnsafeCharacters(value), {
      error: (issue) => `${UNSAFE_RULE} (got ${shown(issue.input)})`,
    }),
    // It is the Kafka key: kafkajs loops without end on keys past 64 KiB, and no catalogue needs one.
    z.refine((value) => value.length <= MAX_PRODUCT_ID_LENGTH, {
      error: (issue) => `must be at most ${MAX_PRODUCT_ID_LENGTH} characters (got ${String(issue.input).length})`,
    }),
  );

/** What toISOString gives: most timestamps already are, and parsing a date is slow. */
const CANONICAL_TIMESTAMP = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const TIMESTAMP_RULE = 'must be an ISO 8601 timestamp such as 2026-11-25T10:00:00Z';
/**
 * When a change can have happened: not before 2000, not more than a day ahead of this clock (a
 * writer's clock may run ahead). A date of year 1 is a mistake, and would make every delay figure
 * a lie.
 */
const OCCURRED_AT_WINDOW = { earliest: Date.parse('2000-01-01T00:00:00.000Z'), aheadMs: 24 * 3_600_000 };
const WINDOW_RULE = 'must be from 2000-01-01 to a day from now';
const occurredAt = z.pipe(
  z
    .pipe(z.string({ error: expect(TIMESTAMP_RULE) }), z.iso.datetime({ offset: true, error: expect(TIMESTAMP_RULE) }))
    .check(
      z.refine(
        (value) => {
          const at = Date.parse(value);
          return at >= OCCURRED_AT_WINDOW.earliest && at <= Date.now() + OCCURRED_AT_WINDOW.aheadMs;
        },
        { error: expect(WINDOW_RULE) },
      ),
    ),
  // Kept in UTC on the wire whatever offset it came with, so events sort and compare as text.
  z.transform((value: string) => (CANONICAL_TIMESTAMP.test(value) ? value : new Date(value).toISOString())),
);

export const ORIGIN_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const ORIGIN_RULE = "must be a site name such as on-prem or cloud: 1 to 64 letters, digits, '.', '_' or '-'";
const origin = z.string({ error: expect(ORIGIN_RULE) }).check(z.regex(ORIGIN_PATTERN, { error: expect(ORIGIN_RULE) }));

const envelope = {
  eventId: z.uuid({ error: expect('must be a UUID') }),
  productId,
  occurredAt,
  origin,
  schemaVersion: z.literal(SCHEMA_VERSION, {
    error: expect(`must be ${SCHEMA_VERSION}, the schema version this pix knows`),
  }),
};

/** Not a number; and where the text was written as one that a double cannot keep, said as such. */
const NUMBER_ERROR = (issue: { input?: unknown }): string =>
  typeof issue.input === 'string' && isUnkeptNumber(issue.input)
    ? `${KEPT_NUMBER_RULE} (got ${shown(issue.input)})`
    : expect('must be a number')(issue);

const price = z.number({ error: NUMBER_ERROR }).check(z.minimum(0, { error: expect('must be ≥ 0') }));

const CURRENCY_RULE = 'must be an ISO 4217 currency code such as USD or EUR';
const currency = z.pipe(
  z
    .string({ error: expect(CURRENCY_RULE) })
    .check(z.refine((value) => CURRENCY_CODES.has(value.toUpperCase()), { error: expect(CURRENCY_RULE) })),
  z.transform((value: string) => value.toUpperCase()),
);

const DISCOUNT_RULE = 'must be a percentage from 0 to 100';
const discount = z
  .number({ error: NUMBER_ERROR })
  .check(z.minimum(0, { error: expect(DISCOUNT_RULE) }), z.maximum(100, { error: expect(DISCOUNT_RULE) }));

const COUNTRY_RULE = 'must be an ISO 3166-1 alpha-2 country code such as US or DE';
/** Codes people write for a country whose ISO code is another: the message says which. */
const COUNTRY_SLIPS: Readonly<Record<string, string>> = {
  UK: 'GB for the United Kingdom',
  EL: 'GR for Greece',
};
const country = z.pipe(
  z.string({ error: expect(COUNTRY_RULE) }).check(
    z.refine((value) => COUNTRY_CODES.has(value.toUpperCase()), {
      error: (issue) => {
        const slip = typeof issue.input === 'string' ? COUNTRY_SLIPS[issue.input.toUpperCase()] : undefined;
        return slip ? `${COUNTRY_RULE}: use ${slip} (got ${shown(issue.input)})` : expect(COUNTRY_RULE)(issue);
      },
    }),
  ),
  z.transform((value: string) => value.toUpperCase()),
);

const typeField = <T extends string>(type: T) => z.literal(type, { error: expect(`must be '${type}'`) });

const priceEventSchema = z.object({ type: typeField('price'), ...envelope, price, currency });
const discountEventSchema = z.object({ type: typeField('discount'), ...envelope, discount });
const countryEventSchema = z.object({ type: typeField('country'), ...envelope, country });

export const EVENT_SCHEMAS = {
  price: priceEventSchema,
  discount: discountEventSchema,
  country: countryEventSchema,
} as const;

type PriceEvent = z.output<typeof priceEventSchema>;
type DiscountEvent = z.output<typeof discountEventSchema>;
type CountryEvent = z.output<typeof countryEventSchema>;
export type PixEvent = PriceEvent | DiscountEvent | CountryEvent;
export type EventOf<T extends EventType> = Extract<PixEvent, { type: T }>;

export const DEFAULT_CURRENCY = 'USD';
