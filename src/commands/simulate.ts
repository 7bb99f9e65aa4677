import { Flags } from '@oclif/core';

import { PixCommand } from '../cli/base-command.js';
import { durationFlag, integerFlag, metricsFlags } from '../cli/flags.js';
import { simulate } from '../simulate/command.js';

export default class Simulate extends PixCommand<typeof Simulate> {
  static override summary = 'Publish realistic product traffic at a steady rate, for demos, dashboards and tests.';
  static override description =
    'Prices walk in small steps with two decimals, discounts come and go, products move between real countries, and each event comes from one of --sites. Runs until --count or --duration is reached, or Ctrl-C (which still prints the summary). The same --seed gives the same stream of products, values and event ids.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --rate 200 --duration 60s',
    '<%= config.bin %> <%= command.id %> --count 10000 --products 50 --sites on-prem,cloud --seed 42',
    '<%= config.bin %> <%= command.id %> --rate 5000 --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    rate: integerFlag({ min: 1, max: 1_000_000 })({ summary: 'Events per second.', default: 200 }),
    products: integerFlag({ min: 1, max: 100_000_000 })({
      summary: 'How many distinct products change.',
      default: 1000,
    }),
    sites: Flags.string({ summary: 'Comma-separated origins the events come from.', default: 'on-prem,cloud' }),
    duration: durationFlag({ summary: 'Stop after this long, such as 60s or 5m.', exclusive: ['count'] }),
    count: integerFlag({ min: 1 })({ summary: 'Stop after this many events.' }),
    seed: integerFlag({ min: 0, max: 4_294_967_295 })({
      summary: 'Seed of the stream: the same seed replays the same events.',
    }),
    ...metricsFlags,
  };

  public async run(): Promise<void> {
    await this.runWork(simulate, this.flags);
  }
}
