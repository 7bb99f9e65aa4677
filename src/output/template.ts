import { PixError } from '../errors.js';
import { describeChange } from '../events/format.js';
import { printable } from '../printable.js';
import type { PixEvent } from '../events/schema.js';

/** What a `--format` line can show: the event's fields, where it sat, and the change in words. */
interface TemplateInput {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  timestamp: string;
  event: PixEvent;
}

const PLACES = ['topic', 'partition', 'offset', 'key', 'timestamp', 'change'] as const;
const EVENT_FIELDS = [
  'type',
  'eventId',
  'productId',
  'occurredAt',
  'origin',
  'schemaVersion',
  'price',
  'currency',
  'discount',
  'country',
] as const;
const TEMPLATE_FIELDS: readonly string[] = [...EVENT_FIELDS, ...PLACES];

/**
 * Compiles `--format '{type} {productId} {price}'` once. An unknown `{name}` is a usage error up
 * front; a field that an event's type lacks (`{price}` of a discount) prints as nothing.
 */
export function compileTemplate(template: string): (input: TemplateInput) => string {
  const parts = template.split(/(\{[A-Za-z]+\})/);
  const unknown = parts.filter((part) => /^\{[A-Za-z]+\}$/.test(part) && !TEMPLATE_FIELDS.includes(part.slice(1, -1)));
  if (unknown.length > 0) {
    throw new PixError(
      'INVALID_INPUT',
      `format: unknown field ${unknown.join(', ')}; known: ${TEMPLATE_FIELDS.map((name) => `{${name}}`).join(' ')}`,
    );
  }
  const pieces = parts.map((part) => {
    if (!/^\{[A-Za-z]+\}$/.test(part)) return () => unescape(part);
    const name = part.slice(1, -1);
    return (input: TemplateInput): string => printable(valueOf(name, input));
  });
  return (input) => pieces.map((piece) => piece(input)).join('');
}

function valueOf(name: string, input: TemplateInput): string {
  switch (name) {
    case 'topic':
      return input.topic;
    case 'partition':
      return String(input.partition);
    case 'offset':
      return input.offset;
    case 'key':
      return input.key ?? '';
    case 'timestamp':
      return input.timestamp;
    case 'change':
      return describeChange(input.event);
    default: {
      const value = (input.event as unknown as Record<string, string | number | undefined>)[name];
      return value === undefined ? '' : String(value);
    }
  }
}

/** `\t` and `\n` typed in a shell argument mean a tab and a newline. */
function unescape(text: string): string {
  return text.replaceAll('\\t', '\t').replaceAll('\\n', '\n');
}
