import { Flags } from '@oclif/core';

import { envelopeFlags, PublishEventCommand } from '../../cli/publish-command.js';

export default class PublishPrice extends PublishEventCommand {
  static override summary = 'Publish a price change of one product.';
  static override description =
    'Validates the event (price ≥ 0, ISO 4217 currency), publishes it to product-price-update keyed by product id, and waits until every in-sync replica has it. Invalid input exits 2 and publishes nothing.';
  static override usage =
    'publish price --id ID --price PRICE [--currency CODE] [--origin SITE] [--json] [KAFKA FLAGS]';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --id 123 --price 10',
    '<%= config.bin %> <%= command.id %> --id SKU-9 --price 24.90 --currency EUR --origin cloud',
    '<%= config.bin %> <%= command.id %> --id 123 --price 10 --json | jq -r .offset',
  ];
  static override flags = {
    ...envelopeFlags,
    price: Flags.string({ summary: 'New price: a number ≥ 0.', required: true }),
    currency: Flags.string({ summary: 'ISO 4217 currency code.', default: 'USD' }),
  };

  protected readonly eventType = 'price';
}
