import { PixError } from '../errors.js';
import { createEvent } from '../events/create.js';
import { numberFromText } from '../events/numbers.js';
import type { EventType, PixEvent } from '../events/schema.js';
import { TopicNames } from '../events/topics.js';
import { describeIssues } from '../events/validation.js';
import { KafkaClient, publishEvent } from '../kafka/index.js';
import type { Logger } from '../logger.js';
import type { Settings } from '../settings.js';
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

/**
 * `pix publish price|discount|country`: validate the event the flags describe, publish it, and
 * say where it landed. Shared by the oclif commands and the fast path (cli/fast-path.ts).
 */
export async function publishOne(
  type: EventType,
  flags: FlagValues,
  settings: Settings,
  logger: Logger,
): Promise<PublishResult> {
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
  const client = new KafkaClient(settings.kafka, logger);
  try {
    const delivery = await withPushedMetrics(
      flags.pushgateway,
      { timeoutMs: settings.kafka.timeoutMs, logger },
      (observer) => publishEvent(client, new TopicNames(settings.topicPrefix), validated.value, observer),
    );
    return { ...delivery, eventId: delivery.event.eventId };
  } finally {
    await client.close();
  }
}

/** What a publish of one event had done, said when stdout cannot take its line or JSON. */
export function deliveryDone(result: PublishResult): string {
  return `the event was published (${deliveryLine(result)})`;
}

/** `price 123 → product-price-update[0]@42` */
export function deliveryLine(result: PublishResult): string {
  return `${result.event.type} ${result.event.productId} → ${result.topic}[${result.partition}]@${result.offset}`;
}
