import type { CommandContext } from '../command-context.js';
import { PixError } from '../errors.js';
import { createEvent } from '../events/create.js';
import { numberFromText } from '../events/numbers.js';
import type { EventType, PixEvent } from '../events/schema.js';
import { describeIssues } from '../events/validation.js';
import { publishEvent } from '../kafka/index.js';
import { withPushedMetrics } from './pushed-metrics.js';

export interface PublishResult {
  topic: string;
  partition: number;
  offset: string;
  eventId: string;
  event: PixEvent;
}

type FlagValues = Readonly<Record<string, string | undefined>>;

function payloadOf(type: EventType, flags: FlagValues): Record<string, unknown> {
  switch (type) {
    case 'price':
      return { price: numberFromText(flags.price), currency: flags.currency };
    case 'discount':
      return { discount: numberFromText(flags.discount) };
    case 'country':
      return { country: flags.country };
  }
}

export interface PublishOneOptions {
  type: EventType;
  /** The flags' values as given: --id, --price, --currency, --event-id, --occurred-at, --pushgateway … */
  flags: FlagValues;
}

/**
 * `pix publish price|discount|country`: validate the event the flags describe, publish it, and
 * say where it landed. The work of the oclif commands and of the fast path (cli/fast-path.ts).
 */
export async function publishOne({ type, flags }: PublishOneOptions, context: CommandContext): Promise<PublishResult> {
  const { settings, logger } = context;
  const validated = createEvent(
    type,
    { productId: flags.id, eventId: flags['event-id'], occurredAt: flags['occurred-at'], ...payloadOf(type, flags) },
    { origin: settings.origin },
  );
  if (!validated.ok) {
    throw new PixError('INVALID_INPUT', describeIssues(validated.issues), {
      details: { issues: validated.issues },
      hint: 'Nothing was published.',
    });
  }
  const client = await context.kafka();
  const delivery = await withPushedMetrics(
    flags.pushgateway,
    { timeoutMs: settings.kafka.timeoutMs, logger },
    (observer) => publishEvent(client, context.topicNames(), validated.value, observer),
  );
  const result = { ...delivery, eventId: delivery.event.eventId };
  context.done(deliveryDone(result));
  context.log(deliveryLine(result));
  return result;
}

/** What a publish of one event had done, said when stdout cannot take its line or JSON. */
function deliveryDone(result: PublishResult): string {
  return `the event was published (${deliveryLine(result)})`;
}

/** `price 123 → product-price-update[0]@42` */
function deliveryLine(result: PublishResult): string {
  return `${result.event.type} ${result.event.productId} → ${result.topic}[${result.partition}]@${result.offset}`;
}
