import { Flags } from '@oclif/core';

import { envelopeFlags, PublishEventCommand } from '../../cli/publish-command.js';

export default class PublishDiscount extends PublishEventCommand {
  static override summary = 'Publish a discount change of one product.';
  static override description =
    'Validates the event (discount is a percentage from 0 to 100), publishes it to product-discount-update keyed by product id, and waits for the acknowledgement. Invalid input exits 2 and publishes nothing.';
  static override usage = 'publish discount --id ID --discount PERCENT [--origin SITE] [--json] [KAFKA FLAGS]';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --id 123 --discount 15',
    '<%= config.bin %> <%= command.id %> --id 123 --discount 0 --origin on-prem --json',
  ];
  static override flags = {
    ...envelopeFlags,
    discount: Flags.string({ summary: 'Discount in percent, 0 to 100.', required: true }),
  };

  protected readonly eventType = 'discount';
}
