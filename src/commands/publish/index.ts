import { Flags } from '@oclif/core';

import { PixCommand } from '../../cli/base-command.js';
import { integerFlag, pushgatewayFlags } from '../../cli/flags.js';
import { DEFAULT_BATCH_SIZE } from '../../kafka/index.js';
import { publishFile } from '../../publish/publish-file.js';

export default class Publish extends PixCommand<typeof Publish> {
  static override summary = 'Publish events: one with publish price|discount|country, many with --file.';
  static override usage = [
    'price --id ID --price PRICE [--currency CODE]',
    'discount --id ID --discount PERCENT',
    'country --id ID --country CODE',
    '--file FILE|- [--skip-invalid] [--json]',
  ];
  static override description = `One event: \`pix publish price|discount|country\`, each with its own --help. Many: --file, one event a line in pix's own JSON:

  {"type":"price","productId":"123","price":9.99,"currency":"EUR"}

Each line is one event: pix's own JSON (envelope fields may be left out to take their defaults), a line printed by \`pix consume --json\` (its key and headers are kept), or the original system's request body {"event_type": "product-price-update", "data": {"product_id": 123, "price": 10.0}}.

Every line is validated before the first event is sent: one invalid line exits 2, lists the first 20 invalid lines as "line 17: price: must be ≥ 0 (got -1)", and publishes nothing. --skip-invalid publishes the valid lines instead and reports the others; with a live stdin, events go out as lines arrive. The input is streamed, so files of any size take bounded memory (the events validated for an all-or-nothing publish wait in a temporary file in TMPDIR), and big ones are validated on one thread per core. Ctrl-C stops reading: before sending has begun nothing is published; after, what was read is sent and summed up (exit 130 either way).

Every event is sent with acks=all by an idempotent producer: retries (until --timeout has passed since a batch was sent) never write an event twice, and each product's events keep their order. When the brokers do not acknowledge in time, pix exits 3 and says three counts: acknowledged, in doubt (sent, no answer came) and not published; the events of the last two go to --unconfirmed-file, ready to publish again.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> price --id 123 --price 9.99',
    '<%= config.bin %> <%= command.id %> --file events.ndjson',
    '$ cat events.ndjson | <%= config.bin %> <%= command.id %> --file -',
    '$ tail -f changes.ndjson | <%= config.bin %> <%= command.id %> --file - --skip-invalid',
    '<%= config.bin %> consume --json --exit --from-beginning | <%= config.bin %> <%= command.id %> --file - --topic-prefix copy.',
    '<%= config.bin %> <%= command.id %> --file events.ndjson --skip-invalid --json',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    file: Flags.string({ char: 'f', summary: 'NDJSON file of events, or - for stdin.', required: true }),
    'skip-invalid': Flags.boolean({ summary: 'Publish the valid lines, report the invalid ones on stderr, exit 0.' }),
    origin: Flags.string({ summary: 'Origin of events whose line gives none. Env: PIX_ORIGIN.' }),
    'batch-size': integerFlag({ min: 1, max: 100_000 })({
      summary:
        'Events per produce request (fewer when one partition would get 900 KB; a batch that is not full goes after 50 ms without input).',
      default: DEFAULT_BATCH_SIZE,
    }),
    'unconfirmed-file': Flags.string({
      summary:
        'Where a failed publish writes the events it could not confirm. Default: pix-unconfirmed-TIME.ndjson here.',
      description:
        'Written only when a publish fails after sending began: every event not acknowledged, one a line as `pix consume --json` prints it, with "status": "in-doubt" (sent, no answer came: it may be on its topic) or "not-published" (surely not on it). `pix publish --file` takes the file as it is.',
    }),
    ...pushgatewayFlags,
  };

  public async run(): Promise<void> {
    const { flags } = this;
    await this.runWork(publishFile, {
      file: flags.file,
      skipInvalid: flags['skip-invalid'],
      batchSize: flags['batch-size'],
      ...(flags.pushgateway === undefined ? {} : { pushgateway: flags.pushgateway }),
      ...(flags['unconfirmed-file'] === undefined ? {} : { unconfirmedFile: flags['unconfirmed-file'] }),
    });
  }
}
