import { Flags } from '@oclif/core';

import { PixCommand } from '../cli/base-command.js';
import { serveDashboard } from '../dashboard/command.js';
import { EVENT_TYPES } from '../events/schema.js';
import {
  durationFlag,
  hostFlag,
  integerFlag,
  mirroredTopicsFlag,
  parseEventTypes,
  startFlags,
  startPoint,
  typesArg,
} from '../cli/flags.js';

export default class ServeDashboard extends PixCommand<typeof ServeDashboard> {
  static override summary = 'Serve the live stream to browsers: events, rates, product state, over WebSocket.';
  static override description = `Reads ${EVENT_TYPES.join(', ')} events (all three unless types are named) into a live view and serves it on http://HOST:PORT/: a table of recent events, counters and a per-type events/s chart, the latest state of each product, filters, pause. Every asset is served by pix, so the page works with no internet.

Also served: GET /healthz (the process is up), GET /readyz (200 once connected to Kafka, 503 before), GET /metrics (Prometheus text). With --enable-publish, POST /publish-event takes {"event_type": "product-price-update", "data": {"product_id": 123, "price": 10.0}} or a pix event and publishes it.

With --token (or PIX_DASHBOARD_TOKEN) the page, the WebSocket and the publish route need it: open /?token=… once (the browser keeps it in a cookie, out of the address bar) or send "Authorization: Bearer …". /healthz, /readyz and /metrics stay open. It binds to 127.0.0.1 unless --host says otherwise; binding elsewhere without a token prints a warning.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 8080 --from-beginning',
    '$ PIX_DASHBOARD_TOKEN=s3cret <%= config.bin %> <%= command.id %> --host 0.0.0.0 --enable-publish',
    `$ curl -s -H 'Authorization: Bearer s3cret' -H 'Content-Type: application/json' -d '{"event_type":"product-price-update","data":{"product_id":123,"price":10.0}}' http://127.0.0.1:3000/publish-event`,
  ];
  static override strict = false;
  static override args = typesArg;
  static override flags = {
    port: integerFlag({ min: 0, max: 65_535 })({
      char: 'p',
      summary: 'Port to listen on; 0 picks a free one (the address is printed).',
      default: 3000,
    }),
    host: hostFlag({
      summary: 'Address to listen on. Anything but loopback wants a --token.',
      default: '127.0.0.1',
    }),
    token: Flags.string({
      summary: 'Require this token for the page, the WebSocket and publishing.',
      env: 'PIX_DASHBOARD_TOKEN',
    }),
    'allowed-host': hostFlag({
      summary:
        'A host name the dashboard may be reached by, besides its IP addresses and localhost (repeatable); others are refused, against DNS rebinding.',
      multiple: true,
    }),
    'enable-publish': Flags.boolean({ summary: 'Accept events on POST /publish-event (off by default: 404).' }),
    origin: Flags.string({
      summary: 'Origin of events posted without one (default local). Env: PIX_ORIGIN.',
      dependsOn: ['enable-publish'],
    }),
    'frame-interval': durationFlag({
      // The broadcaster's default applies: oclif would show it as a bare "10", not as a duration.
      summary: 'Least time between two WebSocket frames; events in between share one. Default 10ms.',
    }),
    'client-buffer': integerFlag({ min: 1024 })({
      summary: 'Drop a browser whose unsent data passes this many bytes (it reconnects). Default 1 MiB.',
    }),
    'max-products': integerFlag({ min: 1 })({
      summary: 'Products whose latest state is kept; the least recently changed go first.',
      default: 10_000,
    }),
    ...startFlags,
    ...mirroredTopicsFlag,
  };

  public async run(): Promise<void> {
    const { flags } = this;
    await this.runWork(serveDashboard, {
      types: parseEventTypes(this.positionals),
      start: startPoint(flags),
      localOnly: flags['local-only'],
      host: flags.host,
      port: flags.port,
      token: flags.token,
      allowedHosts: flags['allowed-host'],
      enablePublish: flags['enable-publish'],
      frameIntervalMs: flags['frame-interval'],
      maxBufferedBytes: flags['client-buffer'],
      productLimit: flags['max-products'],
    });
  }
}
