import { Flags } from '@oclif/core';

import { envelopeFlags, PublishEventCommand } from '../../cli/publish-command.js';

export default class PublishCountry extends PublishEventCommand {
  static override summary = 'Publish a change of the country a product is sold in.';
  static override description =
    'Validates the event (an ISO 3166-1 alpha-2 code, any case; stored upper case), publishes it to product-country-update keyed by product id, and waits for the acknowledgement. Invalid input exits 2 and publishes nothing.';
  static override usage = 'publish country --id ID --country CODE [--origin SITE] [--json] [KAFKA FLAGS]';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --id 123 --country US',
    '<%= config.bin %> <%= command.id %> --id 123 --country de --origin cloud --json',
  ];
  static override flags = {
    ...envelopeFlags,
    country: Flags.string({ summary: 'ISO 3166-1 alpha-2 country code, such as US or DE.', required: true }),
  };

  protected readonly eventType = 'country';
}
