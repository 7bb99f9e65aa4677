import { Flags } from '@oclif/core';

import { PixCommand } from '../base-command.js';
import { PixError } from '../errors.js';
import { createEvent } from '../events/create.js';
import type { EventType, PixEvent } from '../events/schema.js';
import { describeIssues } from '../events/validation.js';
import { pushgatewayFlags } from '../flags.js';
import { publishEvent, type Delivery } from '../kafka/publisher.js';
import { withPushedMetrics } from './pushed-metrics.js';

export interface PublishResult {
  topic: string;
  partition: number;
  offset: string;
  eventId: string;
  event: PixEvent;
}

/** Envelope flags that every `pix publish <type>` takes. */
export const envelopeFlags = {
  id: Flags.string({ summary: 'Product id (the message key: one product stays on one partition).', required: true }),
  origin: Flags.string({ summary: 'Site the change comes from, such as on-prem or cloud. Env: PIX_ORIGIN.' }),
  'event-id': Flags.string({ summary: 'Event id (UUID). Default: a new random one.' }),
  'occurred-at': Flags.string({ summary: 'When the change happened, ISO 8601. Default: now.' }),
  ...pushgatewayFlags,
};

/**
 * A number as typed on a command line. Text that is not plainly a decimal number is passed on
 * as text, so validation names the field and shows what was given (`Number('')` would be 0).
 */
export function numberFromText(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text.trim()) ? Number(text) : text;
}

/** The shared body of `pix publish price|discount|country`: validate, publish, report. */
export abstract class PublishEventCommand extends PixCommand<typeof PublishEventCommand> {
  static override enableJsonFlag = true;
  protected abstract readonly eventType: EventType;

  /** The type's own fields, from its flags. */
  protected abstract payload(): Record<string, unknown>;

  public async run(): Promise<PublishResult> {
    const flags = this.flags as unknown as Record<string, string | undefined>;
    const validated = createEvent(
      this.eventType,
      {
        productId: flags.id,
        eventId: flags['event-id'],
        occurredAt: flags['occurred-at'],
        ...this.payload(),
      },
      { origin: this.settings.origin },
    );
    if (!validated.ok) {
      throw new PixError('INVALID_INPUT', describeIssues(validated.issues), {
        details: { issues: validated.issues },
        hint: 'Nothing was published.',
      });
    }
    const client = await this.kafka();
    const delivery: Delivery = await withPushedMetrics(
      flags.pushgateway,
      { timeoutMs: this.settings.kafka.timeoutMs, logger: this.logger },
      (observer) => publishEvent(client, this.topicNames(), validated.value, observer),
    );
    this.log(
      `${delivery.event.type} ${delivery.event.productId} → ${delivery.topic}[${delivery.partition}]@${delivery.offset}`,
    );
    return { ...delivery, eventId: delivery.event.eventId };
  }
}
