import { Flags } from '@oclif/core';

import { PixCommand } from './base-command.js';
import type { EventType } from '../events/schema.js';
import { pushgatewayFlags } from './flags.js';
import { publishOne } from '../publish/publish-one.js';

/** Envelope flags that every `pix publish <type>` takes; the fast path learns them from the manifest. */
export const envelopeFlags = {
  id: Flags.string({ summary: 'Product id (the message key: one product stays on one partition).', required: true }),
  origin: Flags.string({ summary: 'Site the change comes from, such as on-prem or cloud. Env: PIX_ORIGIN.' }),
  'event-id': Flags.string({ summary: 'Event id (UUID). Default: a new random one.' }),
  'occurred-at': Flags.string({ summary: 'When the change happened, ISO 8601. Default: now.' }),
  ...pushgatewayFlags,
};

/** What `pix publish price|discount|country` share: their work, publishOne(), given their flags. */
export abstract class PublishEventCommand extends PixCommand<typeof PublishEventCommand> {
  static override enableJsonFlag = true;
  protected abstract readonly eventType: EventType;

  public async run(): Promise<void> {
    const flags = this.flags as unknown as Record<string, string | undefined>;
    await this.runWork(publishOne, { type: this.eventType, flags });
  }
}
